import type { KeyValue } from '../../streams/api/record.ts';

/** Receives changelog records while a store is restored, in offset order. */
export interface RestoreCallback {
  restoreBatch(records: readonly KeyValue<Uint8Array, Uint8Array | null>[]): void;
  /**
   * Logs these keys' current values again at the next commit: the restore left out records of
   * a commit that never finished, and a later confirmed value must supersede them in the changelog.
   */
  relog?(keys: readonly Uint8Array[]): void;
}

/** What a store sees of its task when it is initialised. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  /** A directory owned by this task; a persistent store keeps its files under it. */
  readonly stateDir: string;
  /** Registers a store for restoration from its changelog (if logging is enabled). */
  register(store: StateStore, callback: RestoreCallback): void;
  /** Sends one change of a store to its changelog topic; the runtime awaits it before committing. */
  logChange(storeName: string, key: Uint8Array, value: Uint8Array | null, timestamp: number): void;
  /**
   * The timestamp of the record being processed, stamped on the changelog records of the
   * writes it causes (as Kafka Streams does). When absent, wall-clock time is used.
   */
  recordTimestamp?(): number;
  /**
   * Whether this store's restored state already holds the input being processed: its
   * changelog got that commit, the task's source offsets did not, so the input runs again.
   * A logged store then drops the write (it would count the input twice).
   */
  alreadyApplied?(storeName: string): boolean;
  /**
   * Gives a store wrapper its part in the task's commit, beside `flush` (see CommitHooks).
   * Optional: without it (a unit test's context) wrappers do all their work in `flush`.
   */
  registerCommitHooks?(storeName: string, hooks: CommitHooks): void;
}

/**
 * What a store wrapper does at the edges of a commit. The runtime calls `beforeSend` before it
 * sends the commit's records, and `flush` only once they are acknowledged; `discard` when the
 * task closes without committing, so that nothing of the uncommitted writes reaches the store.
 */
export interface CommitHooks {
  beforeSend?(): void;
  discard?(): void;
  /** Whether the wrapper holds writes the next commit must carry (so an idle task still commits them). */
  pending?(): boolean;
}

/**
 * The life cycle every store shares, as in Kafka Streams' `StateStore`. Reads and writes
 * are synchronous; I/O happens in `init`, `flush` and `close`.
 */
export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  readonly isOpen: boolean;
  init(context: StateStoreContext): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | undefined;
  /** Keys from `from` to `to`, both inclusive (either may be omitted), in serialized-byte order. */
  range(from?: K, to?: K): IterableIterator<KeyValue<K, V>>;
  all(): IterableIterator<KeyValue<K, V>>;
  approximateNumEntries(): number;
}

export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  put(key: K, value: V): void;
  /** Puts only when the key is absent; returns the value already there, if any. */
  putIfAbsent(key: K, value: V): V | undefined;
  putAll(entries: readonly KeyValue<K, V>[]): void;
  /** Returns the value removed, if any. */
  delete(key: K): V | undefined;
}

/** The byte-level store that suppliers make and wrappers (logging, serdes) decorate. */
export type KeyValueBytesStore = KeyValueStore<Uint8Array, Uint8Array>;

export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  get(): KeyValueBytesStore;
}

/** Builds a fresh store for every task; `withLogging*` choose the changelog. */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  readonly loggingEnabled: boolean;
  /** Changelog topic configs (e.g. `{ 'cleanup.policy': 'compact' }` is always set). */
  readonly logConfig: Readonly<{ [key: string]: string }>;
  withLoggingEnabled(config?: Readonly<{ [key: string]: string }>): StoreBuilder<S>;
  withLoggingDisabled(): StoreBuilder<S>;
  build(): S;
}

/** A store used after `close()` or before `init()`. */
export class InvalidStateStoreError extends Error {
  override readonly name: string = 'InvalidStateStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A store asked for as another kind than it is (a window store as key-value, say); retrying will not help. */
export class StoreTypeError extends InvalidStateStoreError {
  override readonly name: string = 'StoreTypeError';
}
