import type { KeyValue } from '../streams/api/record.ts';
import type { ReadOnlyKeyValueStore } from '../state/api/store.ts';
import { InvalidStateStoreError } from '../state/api/store.ts';

/**
 * One read-only view over the same store of every local task. Tasks come and go with
 * rebalances, so the stores are looked up on every call.
 */
export class CompositeReadOnlyStore<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(
    private readonly name: string,
    private readonly stores: () => readonly ReadOnlyKeyValueStore<K, V>[],
  ) {}

  get(key: K): V | undefined {
    for (const store of this.#open()) {
      const value = store.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  *range(from?: K, to?: K): IterableIterator<KeyValue<K, V>> {
    for (const store of this.#open()) yield* store.range(from, to);
  }

  *all(): IterableIterator<KeyValue<K, V>> {
    for (const store of this.#open()) yield* store.all();
  }

  approximateNumEntries(): number {
    return this.#open().reduce((n, s) => n + s.approximateNumEntries(), 0);
  }

  #open(): readonly ReadOnlyKeyValueStore<K, V>[] {
    const stores = this.stores();
    if (stores.length === 0) {
      throw new InvalidStateStoreError(`No local instance of store "${this.name}" is open here (none assigned, or a rebalance is under way): retry, or ask the instance that holds the key`);
    }
    return stores;
  }
}
