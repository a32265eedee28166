// Messages between the instance (main thread) and its stream threads (workers). Everything here
// crosses by structured cloning: plain data only, errors as { name, message, stack }.
import type { BrokerConnection } from '../connection.ts';
import type { StreamsMetrics, StreamsState } from '../kafka-streams.ts';
import type { StreamsMetadata } from '../metadata.ts';
import type { StreamsConfig } from '../config.ts';
import type { TopologyModule } from './factory.ts';
import type { WindowedRead } from '../../query/instance.ts';
import type { PublishedSnapshot } from './published.ts';

export interface ThreadStartData {
  readonly threadIndex: number;
  readonly module: TopologyModule;
  /** The instance's config without functions; the thread sets its own clientId and stateDir. */
  readonly config: StreamsConfig;
}

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: WireError;
}

/** A thread's view of itself and of the group, sent on every state change and a few times a second. */
export interface ThreadReport {
  readonly state: StreamsState;
  readonly metrics: StreamsMetrics;
  readonly metadata: readonly StreamsMetadata[];
  readonly connection: BrokerConnection;
  /** Store name → its sub-topology; global stores are listed apart. */
  readonly storeSubtopologies: Readonly<{ [store: string]: number }>;
  readonly globalStores: readonly string[];
}

export type StoreOp =
  | { readonly kind: 'get'; readonly key: unknown }
  | { readonly kind: 'range'; readonly from?: unknown; readonly to?: unknown }
  | { readonly kind: 'all' }
  | { readonly kind: 'approximateNumEntries' }
  | WindowedRead<unknown>;

/** A page of the thread's share, ordered by the store's own key serde (see lib/query/pages.ts). */
export interface PageOp {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly after?: Uint8Array;
  readonly limit: number;
}

export type ThreadRequest =
  | { readonly type: 'store'; readonly id: number; readonly store: string; readonly op: StoreOp }
  | { readonly type: 'page'; readonly id: number; readonly store: string; readonly page: PageOp }
  | { readonly type: 'query'; readonly id: number; readonly name: string; readonly args: unknown }
  | { readonly type: 'close'; readonly id: number }
  /** Start now: sent once every thread of the start has built its topology, so that they join the group together. */
  | { readonly type: 'go' };

export type ThreadMessage =
  | { readonly type: 'report'; readonly report: ThreadReport; readonly error?: WireError }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly type: 'start-failed'; readonly error: WireError }
  /** The thread's published stores, after a commit (see published.ts). */
  | { readonly type: 'published'; readonly snapshot: PublishedSnapshot }
  /** The topology is built; the thread waits for 'go'. */
  | { readonly type: 'loaded' };

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  return {
    name: err.name, message: err.message,
    ...(err.stack ? { stack: err.stack } : {}),
    ...(err.cause !== undefined ? { cause: toWire(err.cause) } : {}),
  };
}

/** Back to an Error keeping the name (the query layer answers some by name, e.g. InvalidStateStoreError). */
export function fromWire(wire: WireError): Error {
  const err = new Error(wire.message, wire.cause ? { cause: fromWire(wire.cause) } : undefined);
  Object.defineProperty(err, 'name', { value: wire.name, enumerable: false, configurable: true });
  if (wire.stack) err.stack = wire.stack;
  return err;
}
