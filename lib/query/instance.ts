// What the interactive-query layer needs from one instance of an application: KafkaStreams has
// this shape as it is, and a TopologyTestDriver gets it through `driverInstance`.
import type { Serde } from '../streams/api/serde.ts';
import type { ReadOnlyKeyValueStore } from '../state/api/store.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore, WindowEntry, Windowed } from '../state/api/window-store.ts';
import type { KeyValue } from '../streams/api/record.ts';
import type { HostInfo, KeyQueryMetadata, StreamsMetadata } from '../runtime/metadata.ts';
import type { StreamsState } from '../runtime/kafka-streams.ts';

import type { BrokerConnection } from '../runtime/connection.ts';
import type { Page, PageRequest } from './pages.ts';

export type { BrokerConnection };

/** The counters `/metrics` exports; a subset of KafkaStreams' `metrics()`. */
export interface EngineMetrics {
  readonly state: StreamsState;
  readonly tasks: readonly string[];
  readonly processed: number;
  readonly skippedDeserialization: number;
  readonly skippedProcessing: number;
  /** Output records the broker refused and the production handler dropped. */
  readonly skippedProduction?: number;
  /** Records skipped because the restored state already reflected them. */
  readonly alreadyApplied: number;
  readonly restoredRecords: number;
  /** Records DSL operators dropped on purpose (late past a grace, null keys), by reason. */
  readonly droppedRecordsByReason?: Readonly<{ [reason: string]: number }>;
  /** Per stream thread, when the instance runs several (`/metrics` labels them `thread`). */
  readonly threads?: readonly { readonly thread: string; readonly state: StreamsState; readonly tasks: readonly string[]; readonly processed: number }[];
}

export interface QueryableInstance {
  readonly state: StreamsState;
  readonly error?: Error | undefined;
  /** Every instance of the application, this one included. */
  allMetadata(): readonly StreamsMetadata[];
  /** The instance that owns `key` in `storeName`; undefined when unknown (or a global store). */
  queryMetadataForKey<K>(storeName: string, key: K, keySerde: Serde<K>): KeyQueryMetadata | undefined;
  /** This instance's share of the store; throws InvalidStateStoreError while it is closed. */
  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V>;
  /** This instance's share of a window store; without it the window routes answer 400. */
  windowStore?<K, V>(name: string): ReadOnlyWindowStore<K, V>;
  /** This instance's share of a session store. */
  sessionStore?<K, V>(name: string): ReadOnlySessionStore<K, V>;
  brokerConnection?(): BrokerConnection;
  metrics(): EngineMetrics;
  /**
   * An instance whose stores live on other threads (ThreadedStreams) reads them asynchronously:
   * when present, the query layer uses these instead of `store(name)`.
   */
  readKey?<K>(store: string, key: K, keySerde: Serde<K>): Promise<unknown>;
  readPage?(store: string, keySerde: Serde<unknown>, request: PageRequest): Promise<Page>;
  /** The same for window and session stores: a keyed read asks the thread owning the key. */
  readWindowed?<K, V, R extends WindowedRead<K>>(store: string, read: R, keySerde: Serde<K>): Promise<WindowedReadResult<K, V, R>>;
}

/** A read of a window or session store, as an instance whose stores live on other threads takes it. */
export type WindowedRead<K> =
  | { readonly kind: 'windowFetch'; readonly key: K; readonly from: number; readonly to: number }
  | { readonly kind: 'windowFetchAll'; readonly from: number; readonly to: number }
  | { readonly kind: 'sessionFetch'; readonly key: K }
  | { readonly kind: 'sessionAll' };

/** What each windowed read answers: a key's windows, or windowed keys with their values. */
export type WindowedReadResult<K, V, R extends WindowedRead<K>> =
  R extends { kind: 'windowFetch' } ? WindowEntry<V>[] : KeyValue<Windowed<K>, V>[];

/** Where the query layer finds its instance: given at once, or attached after the server listens. */
export type InstanceSource = QueryableInstance | (() => QueryableInstance | undefined);

export function resolveInstance(source: InstanceSource): QueryableInstance | undefined {
  return typeof source === 'function' ? source() : source;
}

/** Two addresses of one instance: `localhost`, `::1` and `0.0.0.0` all name the loopback. */
export function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.port === b.port && normalizeHost(a.host) === normalizeHost(b.host);
}

function normalizeHost(host: string): string {
  return host === 'localhost' || host === '::1' || host === '0.0.0.0' || host === '[::1]' ? '127.0.0.1' : host;
}

export function formatHostPort({ host, port }: HostInfo): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Parses `host:port` (`[v6]:port` too); undefined when it is not one. */
export function parseHostPort(text: string): HostInfo | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text.trim());
  return m && m[1] ? { host: m[1], port: Number(m[2]) } : undefined;
}
