import type { KeyValue } from '../../streams/api/record.ts';
import type { Serde } from '../../streams/api/serde.ts';
import type { KeyValueBytesStore, StateStoreContext } from '../api/store.ts';
import type { ValueAndTimestamp, WindowEntry, WindowStore, Windowed } from '../api/window-store.ts';
import { WrappedStateStore } from '../wrapped-store.ts';
import { compositeKey, decodeKey, holdsKey, segmentPrefix, splitTimestamp, withTimestamp } from './key-schema.ts';
import { Segments } from './segments.ts';

export interface WindowStoreOptions {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  /** Kafka Streams' default: max(retention / 2, 60 s). */
  readonly segmentIntervalMs?: number;
  /** Keeps every put of the same key and window (stream-stream join buffers), instead of replacing. */
  readonly retainDuplicates?: boolean;
}

export function defaultSegmentInterval(retentionMs: number): number {
  return Math.max(Math.floor(retentionMs / 2), 60_000);
}

/**
 * A typed window store over any ordered byte store (in memory or LevelDB, change-logged or
 * not): composite keys [segment][key][window start][sequence], values [timestamp][value].
 */
export class SegmentedWindowStore<K, V> extends WrappedStateStore<KeyValueBytesStore> implements WindowStore<K, V> {
  readonly #segments: Segments;
  #topic: string | undefined;
  #seq: number | undefined;

  constructor(
    inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly options: WindowStoreOptions,
  ) {
    super(inner);
    this.#segments = new Segments(() => this.wrapped, options.retentionMs, options.segmentIntervalMs ?? defaultSegmentInterval(options.retentionMs));
  }

  get retentionMs(): number { return this.options.retentionMs; }
  get windowSizeMs(): number { return this.options.windowSizeMs; }

  override init(context: StateStoreContext): Promise<void> {
    this.#topic = `${context.applicationId}-${this.name}-changelog`;
    this.#seq = undefined;
    return this.wrapped.init(context);
  }

  put(key: K, value: V | null, windowStart: number, timestamp = windowStart): void {
    const segment = this.#segments.segmentForWrite(windowStart);
    if (segment === undefined) return;
    const k = this.#key(key);
    if (this.options.retainDuplicates) {
      if (value === null) return;
      this.wrapped.put(compositeKey(segment, k, windowStart, this.#nextSeq()), this.#value(value, timestamp));
      return;
    }
    const composite = compositeKey(segment, k, windowStart, 0);
    if (value === null) this.wrapped.delete(composite);
    else this.wrapped.put(composite, this.#value(value, timestamp));
  }

  fetch(key: K, windowStart: number): V | undefined {
    return this.fetchWithTimestamp(key, windowStart)?.value;
  }

  fetchWithTimestamp(key: K, windowStart: number): ValueAndTimestamp<V> | undefined {
    if (windowStart < this.#segments.minLiveTime()) return undefined;
    const segment = this.#segments.segmentId(windowStart);
    const bytes = this.wrapped.get(compositeKey(segment, this.#key(key), windowStart, 0));
    return bytes === undefined ? undefined : this.#decodeValue(bytes);
  }

  fetchRange(key: K, from: number, timeTo: number): WindowEntry<V>[] {
    const k = this.#key(key);
    const timeFrom = Math.max(from, this.#segments.minLiveTime());
    if (timeTo < timeFrom) return [];
    const out: WindowEntry<V>[] = [];
    for (const segment of this.#segments.search(timeFrom, timeTo)) {
      for (const e of this.wrapped.range(compositeKey(segment, k, timeFrom, 0), compositeKey(segment, k, timeTo, Number.MAX_SAFE_INTEGER))) {
        if (!holdsKey(e.key, k)) continue;
        const { value, timestamp } = this.#decodeValue(e.value);
        out.push({ windowStart: decodeKey(e.key).a, value, timestamp });
      }
    }
    return out;
  }

  fetchAll(from: number, timeTo: number): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    const timeFrom = Math.max(from, this.#segments.minLiveTime());
    for (const segment of this.#segments.search(timeFrom, timeTo)) {
      for (const e of this.wrapped.range(segmentPrefix(segment), segmentPrefix(segment + 1))) {
        const d = decodeKey(e.key);
        if (d.a < timeFrom || d.a > timeTo) continue;
        out.push({ key: this.#windowed(d.key, d.a), value: this.#decodeValue(e.value).value });
      }
    }
    return out;
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.fetchAll(0, Number.MAX_SAFE_INTEGER);
  }

  // A restored store keeps its duplicates' sequence numbers: continue after the highest, or a
  // put after a restart would overwrite an older record of the same key and time.
  #nextSeq(): number {
    if (this.#seq === undefined) {
      this.#seq = 0;
      for (const e of this.wrapped.all()) this.#seq = Math.max(this.#seq, decodeKey(e.key).b);
    }
    return ++this.#seq;
  }

  #windowed(key: Uint8Array, start: number): Windowed<K> {
    return { key: this.keySerde.deserialize(key, this.#topic), window: { start, end: start + this.options.windowSizeMs } };
  }

  #key(key: K): Uint8Array {
    if (key === null || key === undefined) throw new TypeError(`Window store '${this.name}' does not take a ${key} key`);
    return this.keySerde.serialize(key, this.#topic);
  }

  #value(value: V, timestamp: number): Uint8Array {
    return withTimestamp(timestamp, this.valueSerde.serialize(value, this.#topic));
  }

  #decodeValue(bytes: Uint8Array): ValueAndTimestamp<V> {
    const { timestamp, value } = splitTimestamp(bytes);
    return { timestamp, value: this.valueSerde.deserialize(value, this.#topic) };
  }
}
