import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { KeyValue } from '../../streams/api/record.ts';
import {
  InvalidStateStoreError, type KeyValueBytesStore, type KeyValueBytesStoreSupplier, type StateStoreContext,
} from '../api/store.ts';
import { keysInRange, newByteTree, type ByteTree } from '../byte-order.ts';
import { ValueCache } from './value-cache.ts';

export interface LevelDbStoreOptions {
  /** How many values read from LevelDB are kept in memory (default 10 000). */
  readonly cacheEntries?: number;
}

type Db = ClassicLevel<Uint8Array, Uint8Array>;
/** Writes not yet in LevelDB; `null` is a delete. */
type WriteBuffer = ByteTree<Uint8Array | null>;

interface Open {
  readonly kind: 'open';
  readonly db: Db;
  /**
   * Every live key, flushed or not. classic-level only iterates asynchronously, while store
   * reads are synchronous (processors read state inline, as in Kafka Streams), so `range`/`all` walk this index (loaded at `init`
   * with a keys-only iterator) and fetch each value with `getSync`. Keeping keys but not
   * values bounds memory by the key set; it also answers "absent" without touching LevelDB.
   */
  readonly keys: ByteTree<undefined>;
  buffer: WriteBuffer;
  /** The buffer being written by a flush in progress, still consulted by reads. */
  flushing: WriteBuffer | undefined;
  readonly cache: ValueCache;
}
type State = { readonly kind: 'created' } | Open | { readonly kind: 'closed' };

/**
 * A persistent byte store in LevelDB (classic-level), one database directory per store per
 * task: `<stateDir>/<name>`. Writes are buffered and written as one batch at `flush()`;
 * reads look in the write buffer, then a value cache, then LevelDB (`getSync`).
 */
export class LevelDbKeyValueStore implements KeyValueBytesStore {
  readonly persistent = true;
  #state: State = { kind: 'created' };
  #lastFlush: Promise<void> = Promise.resolve();

  constructor(readonly name: string, private readonly options: LevelDbStoreOptions = {}) {}

  get isOpen(): boolean {
    return this.#state.kind === 'open';
  }

  async init(context: StateStoreContext): Promise<void> {
    if (this.#state.kind !== 'created') throw new InvalidStateStoreError(`Store '${this.name}' was already initialised`);
    const location = join(context.stateDir, this.name);
    await mkdir(location, { recursive: true });
    const db: Db = new ClassicLevel(location, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    let keys: ByteTree<undefined>;
    try {
      keys = await loadKeys(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    this.#state = {
      kind: 'open', db, keys, buffer: newByteTree(), flushing: undefined,
      cache: new ValueCache(this.options.cacheEntries ?? 10_000),
    };
  }

  /** Writes the buffered changes as one LevelDB batch; flushes run one after another. */
  async flush(): Promise<void> {
    const open = this.#open();
    const run = this.#lastFlush.then(() => this.#writeBuffer(open));
    this.#lastFlush = run.catch(() => {});
    await run;
  }

  async close(): Promise<void> {
    if (this.#state.kind !== 'open') {
      this.#state = { kind: 'closed' };
      return;
    }
    const { db } = this.#state;
    try {
      await this.flush();
    } finally {
      this.#state = { kind: 'closed' };
      await db.close();
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const open = this.#open();
    if (!open.keys.has(key)) return undefined;
    const cached = open.cache.get(key);
    if (cached !== undefined) return cached;
    const value = this.#read(open, key);
    if (value !== undefined && !open.buffer.has(key) && !open.flushing?.has(key)) open.cache.set(key, value);
    return value;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    const open = this.#open();
    const k = key.slice();
    open.buffer.set(k, value.slice());
    open.keys.set(k, undefined);
    open.cache.delete(key);
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
    const previous = this.get(key);
    if (previous === undefined) return undefined;
    const open = this.#open();
    open.buffer.set(key.slice(), null);
    open.keys.delete(key);
    open.cache.delete(key);
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    const keys = keysInRange(this.#open().keys, from, to);
    return this.#values(keys);
  }

  all(): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.range();
  }

  approximateNumEntries(): number {
    return this.#open().keys.size;
  }

  /** Values of a key snapshot, read lazily; keys deleted meanwhile are skipped. Scans bypass the cache. */
  *#values(keys: readonly Uint8Array[]): Generator<KeyValue<Uint8Array, Uint8Array>, undefined, undefined> {
    for (const key of keys) {
      const open = this.#open();
      if (!open.keys.has(key)) continue;
      const value = open.cache.get(key) ?? this.#read(open, key);
      if (value !== undefined) yield { key, value };
    }
    return undefined;
  }

  /** The value of a key known to be live: buffer, then the flush in progress, then LevelDB. */
  #read(open: Open, key: Uint8Array): Uint8Array | undefined {
    const buffered = open.buffer.get(key) ?? open.flushing?.get(key);
    if (buffered !== undefined) return buffered ?? undefined;
    return open.db.getSync(key);
  }

  async #writeBuffer(open: Open): Promise<void> {
    if (open.buffer.size === 0 || this.#state !== open) return;
    const batch = open.buffer;
    open.flushing = batch;
    open.buffer = newByteTree();
    const ops = batch.toArray().map(([key, value]) =>
      value === null ? { type: 'del' as const, key } : { type: 'put' as const, key, value });
    try {
      await open.db.batch(ops);
      // Just-written values are the likeliest to be read next (read-modify-write).
      for (const [key, value] of batch.entries()) {
        if (value !== null && !open.buffer.has(key)) open.cache.set(key, value);
      }
    } catch (err) {
      // Put back what was not overwritten since, so a retry writes it.
      for (const [key, value] of batch.entries()) open.buffer.set(key, value, false);
      throw err;
    } finally {
      open.flushing = undefined;
    }
  }

  #open(): Open {
    if (this.#state.kind !== 'open') {
      throw new InvalidStateStoreError(`Store '${this.name}' is ${this.#state.kind === 'closed' ? 'closed' : 'not initialised'}`);
    }
    return this.#state;
  }
}

async function loadKeys(db: Db): Promise<ByteTree<undefined>> {
  const keys = newByteTree<undefined>();
  const iterator = db.keys();
  try {
    // LevelDB's default comparator is bytewise, so keys arrive in our order already.
    for (let batch = await iterator.nextv(1000); batch.length > 0; batch = await iterator.nextv(1000)) {
      for (const key of batch) keys.set(key, undefined);
    }
  } finally {
    await iterator.close();
  }
  return keys;
}

export function persistentKeyValueStore(name: string, options: LevelDbStoreOptions = {}): KeyValueBytesStoreSupplier {
  return { name, get: () => new LevelDbKeyValueStore(name, options) };
}
