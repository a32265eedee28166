import type { KeyValue } from '../streams/api/record.ts';
import { InvalidStateStoreError, type KeyValueBytesStore, type StateStoreContext } from './api/store.ts';
import { compareBytes, entriesInRange, newByteTree, type ByteTree } from './byte-order.ts';
import { WrappedKeyValueStore } from './wrapped-store.ts';

/** Uncommitted writes by key; `null` is a delete (a tombstone over the wrapped store's value). */
type Writes = ByteTree<Uint8Array | null>;

/**
 * Keeps a task's uncommitted writes in memory and hands them to the wrapped store only at
 * `flush()`, which the runtime calls once the commit's changelog records are acknowledged:
 * the local store never holds a write the changelog lacks (the idea of KIP-892's transaction
 * buffer). Reads see the buffer over the wrapped store; `discard()` forgets it (a dirty close).
 * The builder puts it under the change logging of every persistent logged store, so that a
 * store that writes to disk on every put stays correct without knowing about commits.
 */
export class WriteBufferedKeyValueBytesStore extends WrappedKeyValueStore<Uint8Array, Uint8Array> {
  #writes: Writes = newByteTree();

  /** Writes not yet handed to the wrapped store. */
  get bufferedWrites(): number {
    return this.#writes.size;
  }

  override async init(context: StateStoreContext): Promise<void> {
    await this.wrapped.init(context);
    context.registerCommitHooks?.(this.name, { discard: () => this.discard() });
  }

  /** Applies the buffered writes to the wrapped store, then flushes it. */
  override async flush(): Promise<void> {
    this.#check();
    const writes = this.#writes;
    if (writes.size > 0) {
      this.#writes = newByteTree();
      try {
        for (const [key, value] of writes.entries()) {
          if (value === null) this.wrapped.delete(key);
          else this.wrapped.put(key, value);
        }
      } catch (err) {
        // Applying again is harmless (absolute values): keep all of it for the next flush.
        for (const [key, value] of writes.entries()) this.#writes.set(key, value, false);
        throw err;
      }
    }
    await this.wrapped.flush();
  }

  /**
   * Writes restored changelog records to the wrapped store directly: they are durable already,
   * and buffering them would hold a whole changelog tail in memory until the restore ends.
   * A buffered write of the same key goes (restores run before any processing).
   */
  restore(records: readonly KeyValue<Uint8Array, Uint8Array | null>[]): void {
    this.#check();
    for (const { key, value } of records) {
      this.#writes.delete(key);
      if (value === null) this.wrapped.delete(key);
      else this.wrapped.put(key, value);
    }
  }

  /** Drops every write since the last flush; the wrapped store never sees them. */
  discard(): void {
    this.#writes = newByteTree();
  }

  /**
   * Drops what is still buffered, then closes the wrapped store. A clean close commits first,
   * so only writes whose commit failed are left here: applying them would put in the local
   * store what its changelog never got, with nothing to wipe it later.
   */
  override async close(): Promise<void> {
    this.discard();
    await this.wrapped.close();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#check();
    const buffered = this.#writes.get(key);
    if (buffered !== undefined) return buffered ?? undefined;
    return this.wrapped.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#check();
    this.#writes.set(key.slice(), value.slice());
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const previous = this.get(key);
    if (previous !== undefined) this.#writes.set(key.slice(), null);
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    this.#check();
    // The buffer's part is a snapshot (as the in-memory store's range is): writes made while
    // iterating neither break the merge nor show up in it.
    return merge(entriesInRange(this.#writes, from, to), this.wrapped.range(from, to));
  }

  approximateNumEntries(): number {
    let count = this.wrapped.approximateNumEntries();
    for (const [key, value] of this.#writes.entries()) {
      const inWrapped = this.wrapped.get(key) !== undefined;
      if (value !== null && !inWrapped) count++;
      else if (value === null && inWrapped) count--;
    }
    return count;
  }

  #check(): void {
    if (!this.wrapped.isOpen) throw new InvalidStateStoreError(`Store '${this.name}' is not open`);
  }
}

/** Both sources in key order; on an equal key the buffer wins, and its tombstones hide the key. */
function* merge(
  buffered: readonly [Uint8Array, Uint8Array | null][],
  wrapped: Iterator<KeyValue<Uint8Array, Uint8Array>>,
): Generator<KeyValue<Uint8Array, Uint8Array>, undefined, undefined> {
  let i = 0;
  let next = wrapped.next();
  for (;;) {
    const b = buffered[i];
    if (next.done && b === undefined) return undefined;
    const order = next.done ? 1 : b === undefined ? -1 : compareBytes(next.value.key, b[0]);
    if (order < 0) {
      yield next.value;
      next = wrapped.next();
      continue;
    }
    if (order === 0) next = wrapped.next();
    i++;
    if (b![1] !== null) yield { key: b![0], value: b![1] };
  }
}

/** Wraps `inner` so that its writes wait in memory until the commit that makes them durable. */
export function bufferedUntilCommit(inner: KeyValueBytesStore): WriteBufferedKeyValueBytesStore {
  return new WriteBufferedKeyValueBytesStore(inner);
}
