import type { KeyValue } from '../../streams/api/record.ts';
import type { Serde } from '../../streams/api/serde.ts';
import type { KeyValueBytesStore, StateStoreContext } from '../api/store.ts';
import type { SessionStore, Windowed } from '../api/window-store.ts';
import { WrappedStateStore } from '../wrapped-store.ts';
import { compositeKey, decodeKey, holdsKey, segmentPrefix } from './key-schema.ts';
import { Segments } from './segments.ts';
import { defaultSegmentInterval } from './window-store.ts';

export interface SessionStoreOptions {
  readonly retentionMs: number;
  readonly segmentIntervalMs?: number;
}

/**
 * A typed session store over any ordered byte store: composite keys
 * [segment of the end][key][end][start], segmented by session end as in Kafka Streams.
 */
export class SegmentedSessionStore<K, V> extends WrappedStateStore<KeyValueBytesStore> implements SessionStore<K, V> {
  readonly #segments: Segments;
  #topic: string | undefined;

  constructor(
    inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly options: SessionStoreOptions,
  ) {
    super(inner);
    this.#segments = new Segments(() => this.wrapped, options.retentionMs, options.segmentIntervalMs ?? defaultSegmentInterval(options.retentionMs));
  }

  get retentionMs(): number { return this.options.retentionMs; }

  override init(context: StateStoreContext): Promise<void> {
    this.#topic = `${context.applicationId}-${this.name}-changelog`;
    return this.wrapped.init(context);
  }

  findSessions(key: K, earliestEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[] {
    const k = this.#key(key);
    const earliestSessionEnd = Math.max(0, earliestEnd, this.#segments.minLiveTime());
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const segment of this.#segments.search(earliestSessionEnd, Number.MAX_SAFE_INTEGER)) {
      for (const e of this.wrapped.range(compositeKey(segment, k, earliestSessionEnd, 0), compositeKey(segment, k, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))) {
        if (!holdsKey(e.key, k)) continue;
        const d = decodeKey(e.key);
        if (d.b > latestSessionStart) continue;
        out.push(this.#entry(d.key, d.b, d.a, e.value));
      }
    }
    return out;
  }

  fetch(key: K): KeyValue<Windowed<K>, V>[] {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | undefined {
    if (sessionEnd < this.#segments.minLiveTime()) return undefined;
    const segment = this.#segments.segmentId(sessionEnd);
    const bytes = this.wrapped.get(compositeKey(segment, this.#key(key), sessionEnd, sessionStart));
    return bytes === undefined ? undefined : this.valueSerde.deserialize(bytes, this.#topic);
  }

  put(session: Windowed<K>, value: V): void {
    const segment = this.#segments.segmentForWrite(session.window.end);
    if (segment === undefined) return;
    this.wrapped.put(compositeKey(segment, this.#key(session.key), session.window.end, session.window.start), this.valueSerde.serialize(value, this.#topic));
  }

  remove(session: Windowed<K>): void {
    const segment = this.#segments.segmentId(session.window.end);
    this.wrapped.delete(compositeKey(segment, this.#key(session.key), session.window.end, session.window.start));
  }

  all(): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    const minLive = this.#segments.minLiveTime();
    for (const segment of this.#segments.search(0, Number.MAX_SAFE_INTEGER)) {
      for (const e of this.wrapped.range(segmentPrefix(segment), segmentPrefix(segment + 1))) {
        const d = decodeKey(e.key);
        if (d.a < minLive) continue;
        out.push(this.#entry(d.key, d.b, d.a, e.value));
      }
    }
    return out;
  }

  #entry(key: Uint8Array, start: number, end: number, value: Uint8Array): KeyValue<Windowed<K>, V> {
    return { key: { key: this.keySerde.deserialize(key, this.#topic), window: { start, end } }, value: this.valueSerde.deserialize(value, this.#topic) };
  }

  #key(key: K): Uint8Array {
    if (key === null || key === undefined) throw new TypeError(`Session store '${this.name}' does not take a ${key} key`);
    return this.keySerde.serialize(key, this.#topic);
  }
}
