// Which of the three queryable kinds a store is, so that `KafkaStreams.store` answers a window
// or session store with its own view instead of a key-value one that fails on first read.
import type { StateStore } from '../state/api/store.ts';
import { StoreTypeError } from '../state/api/store.ts';

/** Kafka Streams' QueryableStoreTypes: keyValueStore(), windowStore(), sessionStore(). */
export type QueryableStoreType = 'keyValue' | 'window' | 'session';

export function storeKind(store: StateStore): QueryableStoreType {
  const s = store as unknown as { [method: string]: unknown };
  if (typeof s['findSessions'] === 'function') return 'session';
  if (typeof s['fetchRange'] === 'function') return 'window';
  return 'keyValue';
}


/** Kafka Streams throws InvalidStateStoreException when the asked type does not accept the store (here a StoreTypeError, one). */
export function checkKind(name: string, stores: readonly StateStore[], wanted: QueryableStoreType): void {
  const first = stores[0];
  if (first === undefined) return;
  const actual = storeKind(first);
  if (actual !== wanted) {
    throw new StoreTypeError(`Store "${name}" is a ${actual} store, not a ${wanted} store: ask for it as store("${name}", "${actual}")`);
  }
}
