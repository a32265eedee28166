import type { KeyValue } from '../streams/api/record.ts';
import { InvalidStateStoreError, type KeyValueBytesStore, type StateStoreContext } from './api/store.ts';
import { WrappedKeyValueStore } from './wrapped-store.ts';
import { WriteBufferedKeyValueBytesStore } from './write-buffer.ts';

interface Dirty {
  readonly key: Uint8Array;
  timestamp: number;
}

/**
 * Adds a changelog to a byte store, as Kafka Streams' ChangeLoggingKeyValueBytesStore, but
 * deduplicated: it remembers which keys changed and logs each one's latest value (null for a
 * delete) once per commit, before the commit's records are sent (the `beforeSend` hook), or
 * at `flush()` under a context without commit hooks. The changelog topic is compacted, so
 * only the latest value per key matters for a restore.
 */
export class ChangeLoggingKeyValueBytesStore extends WrappedKeyValueStore<Uint8Array, Uint8Array> {
  #context: StateStoreContext | undefined;
  /** Changed keys by their latin1 form, in the order they first changed. */
  #dirty = new Map<string, Dirty>();

  override async init(context: StateStoreContext): Promise<void> {
    await this.wrapped.init(context);
    this.#context = context;
    // Restored records go straight to the local store, past any write buffer: they are in the
    // changelog already.
    context.register(this, {
      restoreBatch: (records) => {
        if (this.wrapped instanceof WriteBufferedKeyValueBytesStore) return this.wrapped.restore(records);
        for (const { key, value } of records) {
          if (value === null) this.wrapped.delete(key);
          else this.wrapped.put(key, value);
        }
      },
      relog: (keys) => {
        for (const key of keys) this.#markDirty(key, Date.now());
      },
    });
    context.registerCommitHooks?.(this.name, {
      beforeSend: () => this.#logDirty(),
      discard: () => { this.#dirty = new Map(); },
      pending: () => this.#dirty.size > 0,
    });
  }

  override async flush(): Promise<void> {
    this.#logDirty();
    await this.wrapped.flush();
  }

  /** Logs what is still unlogged first, as the wrapped store persists it when it closes. */
  override async close(): Promise<void> {
    try {
      if (this.wrapped.isOpen && this.#dirty.size > 0) await this.flush();
    } finally {
      await this.wrapped.close();
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.wrapped.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    if (this.#context?.alreadyApplied?.(this.name)) return;
    this.wrapped.put(key, value);
    this.#markDirty(key);
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    if (this.#context?.alreadyApplied?.(this.name)) return this.wrapped.get(key);
    const previous = this.wrapped.delete(key);
    // Logged even when absent, as Kafka Streams does: the changelog may still hold the key.
    this.#markDirty(key);
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.wrapped.range(from, to);
  }

  override all(): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.wrapped.all();
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }

  #logDirty(): void {
    if (this.#dirty.size === 0) return;
    const context = this.#requireContext();
    const dirty = this.#dirty;
    this.#dirty = new Map();
    for (const { key, timestamp } of dirty.values()) {
      context.logChange(this.name, key, this.wrapped.get(key) ?? null, timestamp);
    }
  }

  #markDirty(key: Uint8Array, at?: number): void {
    const timestamp = at ?? this.#requireContext().recordTimestamp?.() ?? Date.now();
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

/** Wraps `inner` so that its changes reach `context.logChange` once per commit. */
export function changeLogging(inner: KeyValueBytesStore): KeyValueBytesStore {
  return new ChangeLoggingKeyValueBytesStore(inner);
}
