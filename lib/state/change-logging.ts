import type { KeyValue } from '../streams/api/record.ts';
import { InvalidStateStoreError, type KeyValueBytesStore, type StateStoreContext } from './api/store.ts';

interface Dirty {
  readonly key: Uint8Array;
  timestamp: number;
}

/**
 * Adds a changelog to a byte store, as Kafka Streams' ChangeLoggingKeyValueBytesStore, but
 * deduplicated: it remembers which keys changed and, at `flush()`, logs each one's latest
 * value (null for a delete) before flushing the inner store. The changelog topic is
 * compacted, so only the latest value per key matters for a restore.
 */
export class ChangeLoggingKeyValueBytesStore implements KeyValueBytesStore {
  #context: StateStoreContext | undefined;
  /** Changed keys by their latin1 form, in the order they first changed. */
  #dirty = new Map<string, Dirty>();

  constructor(readonly inner: KeyValueBytesStore) {}

  get name(): string { return this.inner.name; }
  get persistent(): boolean { return this.inner.persistent; }
  get isOpen(): boolean { return this.inner.isOpen; }

  async init(context: StateStoreContext): Promise<void> {
    await this.inner.init(context);
    this.#context = context;
    // Restored records go straight into the inner store: they are in the changelog already.
    context.register(this, {
      restoreBatch: (records) => {
        for (const { key, value } of records) {
          if (value === null) this.inner.delete(key);
          else this.inner.put(key, value);
        }
      },
    });
  }

  async flush(): Promise<void> {
    const context = this.#requireContext();
    const dirty = this.#dirty;
    this.#dirty = new Map();
    for (const { key, timestamp } of dirty.values()) {
      context.logChange(this.name, key, this.inner.get(key) ?? null, timestamp);
    }
    await this.inner.flush();
  }

  /** Logs what is still unlogged first, as the inner store persists it when it closes. */
  async close(): Promise<void> {
    if (this.inner.isOpen && this.#dirty.size > 0) await this.flush();
    await this.inner.close();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.inner.put(key, value);
    this.#markDirty(key);
  }

  putIfAbsent(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    const previous = this.inner.putIfAbsent(key, value);
    if (previous === undefined) this.#markDirty(key);
    return previous;
  }

  putAll(entries: readonly KeyValue<Uint8Array, Uint8Array>[]): void {
    for (const { key, value } of entries) this.put(key, value);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const previous = this.inner.delete(key);
    // Logged even when absent, as Kafka Streams does: the changelog may still hold the key.
    this.#markDirty(key);
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.inner.range(from, to);
  }

  all(): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.inner.all();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  #markDirty(key: Uint8Array): void {
    const timestamp = this.#requireContext().recordTimestamp?.() ?? Date.now();
    const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    const entry = this.#dirty.get(id);
    if (entry) entry.timestamp = timestamp;
    else this.#dirty.set(id, { key: key.slice(), timestamp });
  }

  #requireContext(): StateStoreContext {
    if (!this.#context) throw new InvalidStateStoreError(`Store '${this.name}' is not initialised`);
    return this.#context;
  }
}

/** Wraps `inner` so that its changes reach `context.logChange` at every flush. */
export function changeLogging(inner: KeyValueBytesStore): KeyValueBytesStore {
  return new ChangeLoggingKeyValueBytesStore(inner);
}
