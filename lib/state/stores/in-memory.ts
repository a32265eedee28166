import type { KeyValue } from '../../streams/api/record.ts';
import {
  InvalidStateStoreError, type KeyValueBytesStore, type KeyValueBytesStoreSupplier, type StateStoreContext,
} from '../api/store.ts';
import { entriesInRange, newByteTree, type ByteTree } from '../byte-order.ts';

/**
 * A byte store held in a B+ tree ordered by unsigned bytes. Nothing survives `close()`;
 * wrap it with change logging to rebuild it from its changelog.
 */
export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly persistent = false;
  #entries: ByteTree<Uint8Array> | undefined;
  #closed = false;

  constructor(readonly name: string) {}

  get isOpen(): boolean {
    return this.#entries !== undefined;
  }

  async init(_context: StateStoreContext): Promise<void> {
    if (this.#closed) throw new InvalidStateStoreError(`Store '${this.name}' is closed and cannot be initialised again`);
    this.#entries ??= newByteTree();
  }

  async flush(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    this.#entries = undefined;
    this.#closed = true;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.#open().get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    // Copies, so a caller reusing its buffers cannot reorder the tree behind our back.
    this.#open().set(key.slice(), value.slice());
  }

  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    const previous = this.get(key);
    if (previous === undefined) this.put(key, value);
    return previous;
  }

  putAll(entries: readonly KeyValue<Uint8Array, Uint8Array>[]): void {
    for (const { key, value } of entries) this.put(key, value);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const entries = this.#open();
    const previous = entries.get(key);
    if (previous !== undefined) entries.delete(key);
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    // A snapshot taken now (as Kafka Streams' in-memory store does): writes during the
    // iteration neither break it nor show up in it.
    return entriesInRange(this.#open(), from, to).map(([key, value]) => ({ key, value })).values();
  }

  all(): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.#open().size;
  }

  #open(): ByteTree<Uint8Array> {
    if (this.#entries === undefined) {
      throw new InvalidStateStoreError(`Store '${this.name}' is ${this.#closed ? 'closed' : 'not initialised'}`);
    }
    return this.#entries;
  }
}

export function inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
  return { name, get: () => new InMemoryKeyValueStore(name) };
}
