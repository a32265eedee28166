import type { KeyValue } from '../streams/api/record.ts';
import type { Serde } from '../streams/api/serde.ts';
import type { KeyValueBytesStore, KeyValueStore, StateStoreContext } from './api/store.ts';
import type { ValueAndTimestamp } from './api/window-store.ts';
import { SerdeKeyValueStore } from './serde-store.ts';
import { WrappedKeyValueStore } from './wrapped-store.ts';
import { splitTimestamp, withTimestamp } from './window/key-schema.ts';

/** A key-value store that keeps each value's timestamp, as the DSL's tables and aggregates need. */
export interface TimestampedKeyValueStore<K, V> extends KeyValueStore<K, V> {
  getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined;
  /** Puts, or with `null` deletes. */
  putWithTimestamp(key: K, value: V | null, timestamp: number): void;
}

/** Bytes [timestamp: 8][value]: Kafka Streams' ValueAndTimestamp layout. */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  return {
    serialize: (v, topic) => withTimestamp(v.timestamp, inner.serialize(v.value, topic)),
    deserialize: (bytes, topic) => {
      const { timestamp, value } = splitTimestamp(bytes);
      return { timestamp, value: inner.deserialize(value, topic) };
    },
  };
}

/**
 * The plain view (get/put/range give values) over a store of values with timestamps, so that
 * queries and the test driver read a DSL table as any key-value store. A plain `put` stamps
 * the value with the timestamp of the record being processed.
 */
export class TimestampedKeyValueStoreView<K, V>
  extends WrappedKeyValueStore<K, V, KeyValueStore<K, ValueAndTimestamp<V>>> implements TimestampedKeyValueStore<K, V> {
  #context: StateStoreContext | undefined;

  constructor(bytes: KeyValueBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    super(new SerdeKeyValueStore(bytes, keySerde, valueAndTimestampSerde(valueSerde)));
  }

  override init(context: StateStoreContext): Promise<void> {
    this.#context = context;
    return this.wrapped.init(context);
  }

  getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined {
    return this.wrapped.get(key);
  }

  putWithTimestamp(key: K, value: V | null, timestamp: number): void {
    if (value === null) this.wrapped.delete(key);
    else this.wrapped.put(key, { value, timestamp });
  }

  get(key: K): V | undefined {
    return this.wrapped.get(key)?.value;
  }

  put(key: K, value: V): void {
    this.putWithTimestamp(key, value, this.#context?.recordTimestamp?.() ?? Date.now());
  }

  delete(key: K): V | undefined {
    return this.wrapped.delete(key)?.value;
  }

  *range(from?: K, to?: K): Generator<KeyValue<K, V>, undefined, undefined> {
    for (const { key, value } of this.wrapped.range(from, to)) yield { key, value: value.value };
    return undefined;
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }
}
