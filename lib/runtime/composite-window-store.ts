import type { KeyValue } from '../streams/api/record.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore, WindowEntry, Windowed } from '../state/api/window-store.ts';
import { InvalidStateStoreError } from '../state/api/store.ts';

function open<S>(name: string, stores: () => readonly S[]): readonly S[] {
  const found = stores();
  if (found.length === 0) {
    throw new InvalidStateStoreError(`No local instance of store "${name}" is open here (none assigned, or a rebalance is under way): retry, or ask the instance that holds the key`);
  }
  return found;
}

/** One read-only view over the same window store of every local task (a key lives in one of them). */
export class CompositeReadOnlyWindowStore<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(private readonly name: string, private readonly stores: () => readonly ReadOnlyWindowStore<K, V>[]) {}

  fetch(key: K, windowStart: number): V | undefined {
    for (const s of open(this.name, this.stores)) {
      const v = s.fetch(key, windowStart);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowEntry<V>[] {
    return open(this.name, this.stores).flatMap((s) => s.fetchRange(key, timeFrom, timeTo));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[] {
    return open(this.name, this.stores).flatMap((s) => s.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return open(this.name, this.stores).flatMap((s) => s.all());
  }
}

/** One read-only view over the same session store of every local task. */
export class CompositeReadOnlySessionStore<K, V> implements ReadOnlySessionStore<K, V> {
  constructor(private readonly name: string, private readonly stores: () => readonly ReadOnlySessionStore<K, V>[]) {}

  fetch(key: K): KeyValue<Windowed<K>, V>[] {
    return open(this.name, this.stores).flatMap((s) => s.fetch(key));
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | undefined {
    for (const s of open(this.name, this.stores)) {
      const v = s.fetchSession(key, sessionStart, sessionEnd);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return open(this.name, this.stores).flatMap((s) => s.all());
  }
}
