// A custom state store written only against modelstream's public API: a byte store kept in
// an append-only log file. It shows what a user needs to plug in their own store: implement
// `KeyValueBytesStore`, hand out instances from a `KeyValueBytesStoreSupplier`, and pass that
// to `Stores.keyValueStoreBuilder` (which adds serdes and the changelog around it).
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { InvalidStateStoreError, Stores, type KeyValue, type KeyValueBytesStore, type KeyValueBytesStoreSupplier, type StateStoreContext } from '../../lib/index.ts';

export interface FileStoreOptions {
  /** Rewrite the file when its dead entries outnumber the live ones this many times (default 2). */
  readonly compactionRatio?: number;
  /** ...and there are at least this many dead entries (default 1000), so small files are left alone. */
  readonly minDeadEntries?: number;
}

/** What `init` found at the end of the file: bytes of a torn or corrupt tail that it cut off. */
export type Recovery = { readonly kind: 'clean' } | { readonly kind: 'truncated'; readonly validBytes: number; readonly droppedBytes: number };

// One entry: u32 body length, u32 CRC-32 of the body, then the body:
// u8 op (1 put, 2 delete), u32 key length, key, value (the rest; empty for a delete).
const HEADER = 8;
const PUT = 1;
const DELETE = 2;

function encode(op: number, key: Uint8Array, value: Uint8Array | undefined): Buffer {
  const bodyLength = 5 + key.byteLength + (value?.byteLength ?? 0);
  const entry = Buffer.allocUnsafe(HEADER + bodyLength);
  entry.writeUInt32BE(bodyLength, 0);
  entry.writeUInt8(op, HEADER);
  entry.writeUInt32BE(key.byteLength, HEADER + 1);
  entry.set(key, HEADER + 5);
  if (value) entry.set(value, HEADER + 5 + key.byteLength);
  entry.writeUInt32BE(crc32(entry.subarray(HEADER)), 4);
  return entry;
}

interface Open {
  readonly kind: 'open';
  readonly path: string;
  file: FileHandle;
  /** Entries in the file, live or dead; `index` holds the live ones. */
  fileEntries: number;
  pending: Buffer[];
}
type State = { readonly kind: 'created' } | Open | { readonly kind: 'closed' };

/**
 * Durability comes from the log file, fsync'd at every flush; lookups and ordered scans come
 * from the built-in in-memory store, used as the index (so byte order is the engine's own).
 */
export class FileKeyValueStore implements KeyValueBytesStore {
  readonly persistent = true;
  readonly #index: KeyValueBytesStore;
  #state: State = { kind: 'created' };
  #lastFlush: Promise<void> = Promise.resolve();
  #recovery: Recovery = { kind: 'clean' };

  constructor(readonly name: string, private readonly options: FileStoreOptions = {}) {
    this.#index = Stores.inMemoryKeyValueStore(name).get();
  }

  get isOpen(): boolean { return this.#state.kind === 'open'; }
  /** What the last `init` did about a damaged tail. */
  get recovery(): Recovery { return this.#recovery; }
  /** Entries in the file, including overwritten and deleted ones. */
  get fileEntries(): number { return this.#open().fileEntries; }

  async init(context: StateStoreContext): Promise<void> {
    if (this.#state.kind !== 'created') throw new InvalidStateStoreError(`Store '${this.name}' was already initialised`);
    await this.#index.init(context);
    const dir = join(context.stateDir, this.name);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'data.log');
    // A compaction that crashed before its rename left a partial copy; the log is intact.
    await rm(`${path}.compacting`, { force: true });
    const { entries, validBytes, totalBytes } = this.#replay(await readOrEmpty(path));
    const file = await open(path, 'a');
    if (validBytes < totalBytes) {
      // A crash mid-append leaves a torn or garbled last entry: cut back to the last good one.
      await file.truncate(validBytes);
      await file.sync();
      this.#recovery = { kind: 'truncated', validBytes, droppedBytes: totalBytes - validBytes };
    }
    this.#state = { kind: 'open', path, file, fileEntries: entries, pending: [] };
  }

  async flush(): Promise<void> {
    const state = this.#open();
    const run = this.#lastFlush.then(() => this.#append(state));
    this.#lastFlush = run.catch(() => {});
    await run;
  }

  async close(): Promise<void> {
    if (this.#state.kind !== 'open') {
      this.#state = { kind: 'closed' };
      return;
    }
    const state = this.#state;
    try {
      await this.flush();
    } finally {
      this.#state = { kind: 'closed' };
      await state.file.close();
      await this.#index.close();
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#open();
    return this.#index.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#open().pending.push(encode(PUT, key, value));
    this.#index.put(key, value);
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
    if (previous !== undefined) {
      this.#open().pending.push(encode(DELETE, key, undefined));
      this.#index.delete(key);
    }
    return previous;
  }

  range(from?: Uint8Array, to?: Uint8Array): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    this.#open();
    return this.#index.range(from, to);
  }

  all(): IterableIterator<KeyValue<Uint8Array, Uint8Array>> {
    return this.range();
  }

  approximateNumEntries(): number {
    this.#open();
    return this.#index.approximateNumEntries();
  }

  /** Applies the valid prefix of the log to the index; stops at the first damaged entry. */
  #replay(log: Buffer): { entries: number; validBytes: number; totalBytes: number } {
    let offset = 0, entries = 0;
    while (offset + HEADER <= log.length) {
      const bodyLength = log.readUInt32BE(offset);
      const end = offset + HEADER + bodyLength;
      if (bodyLength < 5 || end > log.length) break;
      const body = log.subarray(offset + HEADER, end);
      if (crc32(body) !== log.readUInt32BE(offset + 4)) break;
      const op = body.readUInt8(0), keyLength = body.readUInt32BE(1);
      if (5 + keyLength > body.length || (op !== PUT && op !== DELETE)) break;
      const key = body.subarray(5, 5 + keyLength);
      if (op === PUT) this.#index.put(key, body.subarray(5 + keyLength));
      else this.#index.delete(key);
      entries += 1;
      offset = end;
    }
    return { entries, validBytes: offset, totalBytes: log.length };
  }

  async #append(state: Open): Promise<void> {
    if (state.pending.length === 0 || this.#state !== state) return;
    const entries = state.pending;
    state.pending = [];
    await state.file.write(Buffer.concat(entries));
    await state.file.sync();
    state.fileEntries += entries.length;
    const live = this.#index.approximateNumEntries();
    const dead = state.fileEntries - live;
    if (dead >= (this.options.minDeadEntries ?? 1000) && dead > (this.options.compactionRatio ?? 2) * live) {
      await this.#compact(state);
    }
  }

  /**
   * Rewrites the live entries to a new file and renames it over the log, so a crash leaves
   * either the old log or the new one. Writes made meanwhile stay pending and are appended
   * to the new file by the next flush (replaying a put twice is harmless).
   */
  async #compact(state: Open): Promise<void> {
    const copyPath = `${state.path}.compacting`;
    const live = [...this.#index.all()];
    const copy = await open(copyPath, 'w');
    try {
      await copy.write(Buffer.concat(live.map(({ key, value }) => encode(PUT, key, value))));
      await copy.sync();
    } finally {
      await copy.close();
    }
    await state.file.close();
    await rename(copyPath, state.path);
    state.file = await open(state.path, 'a');
    // fsync the directory so that the rename itself survives a crash.
    const dir = await open(join(state.path, '..'), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
    state.fileEntries = live.length;
  }

  #open(): Open {
    if (this.#state.kind !== 'open') {
      throw new InvalidStateStoreError(`Store '${this.name}' is ${this.#state.kind === 'closed' ? 'closed' : 'not initialised'}`);
    }
    return this.#state;
  }
}

async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

export interface FileStoreSupplier extends KeyValueBytesStoreSupplier {
  get(): FileKeyValueStore;
}

/** A supplier for `Stores.keyValueStoreBuilder(fileStore('counts'), keySerde, valueSerde)`. */
export function fileStore(name: string, options: FileStoreOptions = {}): FileStoreSupplier {
  return { name, get: () => new FileKeyValueStore(name, options) };
}
