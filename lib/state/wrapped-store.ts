import type { KeyValue } from '../streams/api/record.ts';
import type { KeyValueBytesStore, KeyValueStore, StateStore, StateStoreContext } from './api/store.ts';

/**
 * A store that decorates another, as Kafka Streams' WrappedStateStore: name, persistence,
 * open state and the life cycle forward to `wrapped` unless a subclass overrides them.
 */
export abstract class WrappedStateStore<S extends StateStore = StateStore> implements StateStore {
  constructor(readonly wrapped: S) {}

  get name(): string { return this.wrapped.name; }
  get persistent(): boolean { return this.wrapped.persistent; }
  get isOpen(): boolean { return this.wrapped.isOpen; }

  init(context: StateStoreContext): Promise<void> { return this.wrapped.init(context); }
  flush(): Promise<void> { return this.wrapped.flush(); }
  close(): Promise<void> { return this.wrapped.close(); }
}

/**
 * A key-value store over a wrapped store: a subclass writes get/put/delete/range and the
 * count; `all`, `putIfAbsent` and `putAll` follow from them (override them when faster).
 */
export abstract class WrappedKeyValueStore<K, V, S extends StateStore = KeyValueBytesStore>
  extends WrappedStateStore<S> implements KeyValueStore<K, V> {
  abstract get(key: K): V | undefined;
  abstract put(key: K, value: V): void;
  abstract delete(key: K): V | undefined;
  abstract range(from?: K, to?: K): IterableIterator<KeyValue<K, V>>;
  abstract approximateNumEntries(): number;

  all(): IterableIterator<KeyValue<K, V>> {
    return this.range();
  }

  putIfAbsent(key: K, value: V): V | undefined {
    const previous = this.get(key);
    if (previous === undefined) this.put(key, value);
    return previous;
  }

  putAll(entries: readonly KeyValue<K, V>[]): void {
    for (const { key, value } of entries) this.put(key, value);
  }
}
