// One instance of an application on N stream threads, as Kafka Streams' num.stream.threads.
//
// Why worker threads and not child processes: a kill -9 of the instance ends every thread with
// it (a child process would outlive its parent, keep its group membership and go on processing
// for a session timeout), a thread starts in a fraction of a process's time and memory, and
// messages are structured clones over a MessagePort instead of a serialized pipe. Each worker
// has its own event loop, heap and GC, so N threads use N cores; what they share is the process.
//
// What each thread owns: one consumer-group member with its own kafkajs consumer, producer and
// admin client, its tasks and their stores, its copy of every global store (bootstrapped and its
// models compiled once in that thread, off the processing path), under `<stateDir>/thread-<i>`.
// The directory is per thread because a task moving between two threads of one process would be
// opened by its new thread before the old one has closed it (LevelDB locks a store per process).
// The instance (this object, on the calling thread) does no per-record work: it starts and
// watches the threads, combines their states, metadata and metrics, and routes store reads.
import { StreamsError } from '../../streams/api/errors.ts';
import type { Serde } from '../../streams/api/serde.ts';
import { InvalidStateStoreError, type ReadOnlyKeyValueStore } from '../../state/api/store.ts';
import type { Page, PageRequest } from '../../query/pages.ts';
import type { WindowedRead, WindowedReadResult } from '../../query/instance.ts';
import { resolveConfig, StreamsConfigError, type ResolvedConfig, type StreamsConfig } from '../config.ts';
import type { StateListener, StreamsMetrics, StreamsState } from '../kafka-streams.ts';
import type { KeyQueryMetadata, StreamsMetadata } from '../metadata.ts';
import { partitionOfKey } from '../murmur2.ts';
import { parseTaskId, taskId } from '../assignment.ts';
import type { BrokerConnection } from '../connection.ts';
import type { TopologyModule } from './factory.ts';
import { ThreadHandle } from './thread-handle.ts';
import { pageQuery, storeQuery, type StoreQuery, type StoreQueryResult } from './thread-reads.ts';
import { combineMetrics, type ThreadMetrics } from './thread-metrics.ts';
import { CloseOnSignals } from '../close-on-signals.ts';
import { publishedView, type PublishedView } from './published.ts';

/** What one thread is doing, as `threads()` lists it. */
export interface StreamThreadInfo {
  readonly index: number;
  readonly state: StreamsState | 'STARTING' | 'DEAD';
  readonly tasks: readonly string[];
}

/** The instance's store view is asynchronous: use `queryStore`, or the query server. */
export class CrossThreadStoreError extends InvalidStateStoreError {
  override readonly name = 'InvalidStateStoreError';
}

const FUNCTION_SETTINGS = ['onDeserializationError', 'onProcessingError', 'onProductionError'] as const;

/** No task in the reports of two threads: one that lists a task another now runs has not caught up with the group. */
function disjoint(threads: readonly ThreadHandle[]): boolean {
  const seen = new Set<string>();
  for (const t of threads) {
    for (const task of t.report?.metrics.tasks ?? []) {
      if (seen.has(task)) return false;
      seen.add(task);
    }
  }
  return true;
}

export class ThreadedStreams {
  readonly #module: TopologyModule;
  readonly #config: ResolvedConfig;
  readonly #plain: StreamsConfig;
  readonly #threads = new Map<number, ThreadHandle>();
  readonly #listeners = new Set<StateListener>();
  #state: StreamsState = 'CREATED';
  #error: Error | undefined;
  #retired: ThreadMetrics[] = [];
  #replaced = 0;
  #released = false;
  #closing: Promise<void> | undefined;
  readonly #signals: CloseOnSignals | undefined;
  #started: { resolve: () => void; reject: (e: Error) => void } | undefined;

  /** The instance runs `config.numStreamThreads` threads, each building its topology from `module`. */
  static fromModule(module: TopologyModule, config: StreamsConfig): ThreadedStreams {
    return new ThreadedStreams(module, config);
  }

  private constructor(module: TopologyModule, config: StreamsConfig) {
    for (const name of FUNCTION_SETTINGS) {
      if (config[name] !== undefined) throw new StreamsConfigError(`${name} is a function and cannot reach a stream thread: return it as handlers.${name} from the topology module`);
    }
    this.#module = module;
    this.#config = resolveConfig(config);
    const { closeOnSignals: _signals, ...rest } = config;
    // Every thread gets the instance's defaults, so that all share one clientId prefix and state root.
    this.#plain = { ...rest, clientId: this.#config.clientId, stateDir: this.#config.stateDir };
    this.#signals = this.#config.closeOnSignals ? new CloseOnSignals(() => this.close()) : undefined;
  }

  get state(): StreamsState { return this.#state; }
  get error(): Error | undefined { return this.#error; }
  get numStreamThreads(): number { return this.#threads.size; }
  /** Threads replaced after a failure (`streamThreadFailure: 'replace-thread'`). */
  get replacedThreads(): number { return this.#replaced; }

  onStateChange(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts every thread; resolves once all are RUNNING, rejects with the cause if one fails first.
   * RUNNING means: each thread has reported RUNNING on the latest assignment it received (a
   * thread that rejoined while still opening an older one stays REBALANCING), and no task is
   * reported by two threads, so `threads()`, `queryMetadataForKey` and keyed reads route by
   * the assignment the threads run. A later rebalance goes through REBALANCING again.
   */
  start(): Promise<void> {
    if (this.#state !== 'CREATED') return Promise.reject(new StreamsError(`start() can be called once, in CREATED; the instance is ${this.#state}`));
    this.#transition('REBALANCING');
    this.#signals?.install();
    const started = new Promise<void>((resolve, reject) => { this.#started = { resolve, reject }; });
    for (let i = 0; i < this.#config.numStreamThreads; i++) this.#spawn(i);
    return started;
  }

  /** Adds a thread (a new group member, so a rebalance); resolves with its index. */
  addStreamThread(): number | undefined {
    if (this.#state !== 'RUNNING' && this.#state !== 'REBALANCING') return undefined;
    let index = 0;
    while (this.#threads.has(index)) index++;
    this.#spawn(index);
    this.#recompute();
    return index;
  }

  /** Closes the highest-numbered thread gracefully (its tasks move on); resolves with its index. */
  async removeStreamThread(): Promise<number | undefined> {
    if ((this.#state !== 'RUNNING' && this.#state !== 'REBALANCING') || this.#threads.size <= 1) return undefined;
    const index = Math.max(...this.#threads.keys());
    const handle = this.#threads.get(index)!;
    this.#threads.delete(index);
    // Its counts as last reported while running: a closed thread's tasks (and their counts) are gone.
    this.#retire(handle);
    await handle.close();
    this.#recompute();
    return index;
  }

  threads(): StreamThreadInfo[] {
    return [...this.#threads.values()].sort((a, b) => a.index - b.index).map((t) => ({
      index: t.index,
      state: t.dead ? 'DEAD' : t.report?.state ?? 'STARTING',
      tasks: t.report?.metrics.tasks ?? [],
    }));
  }

  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #closeOnce(): Promise<void> {
    if (this.#state === 'NOT_RUNNING') return;
    const failed = this.#state === 'ERROR';
    if (!failed) this.#transition('PENDING_SHUTDOWN');
    this.#signals?.remove();
    await Promise.all([...this.#threads.values()].map((t) => t.close()));
    if (!failed) this.#transition('NOT_RUNNING');
  }

  /** Every instance of the application; the threads of one instance are one entry (one applicationServer). */
  allMetadata(): readonly StreamsMetadata[] {
    let best: readonly StreamsMetadata[] = [];
    let covered = -1;
    for (const t of this.#live()) {
      const m = t.report?.metadata ?? [];
      const n = m.reduce((a, x) => a + x.tasks.length, 0);
      if (n > covered) { best = m; covered = n; }
    }
    return best;
  }

  allMetadataForStore(storeName: string): readonly StreamsMetadata[] {
    return this.allMetadata().filter((m) => m.storeNames.includes(storeName));
  }

  queryMetadataForKey<K>(storeName: string, key: K, keySerde: Serde<K>): KeyQueryMetadata | undefined {
    const located = this.#locate(storeName, keySerde.serialize(key));
    return located?.owner ? { activeHost: { host: located.owner.host, port: located.owner.port }, partition: located.partition } : undefined;
  }

  /** Not available synchronously across threads: throws CrossThreadStoreError; use `queryStore`. */
  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    throw new CrossThreadStoreError(`store "${name}" is spread over ${this.#threads.size} stream threads: read it with queryStore("${name}", op)`);
  }

  /**
   * Reads this instance's share of a store across its threads. A `get` with `keySerde` asks only
   * the thread that owns the key's partition; otherwise each thread is asked. Values are
   * structured clones of the stored ones.
   */
  async queryStore<K, V, Q extends StoreQuery<K, V>>(name: string, op: Q, keySerde?: Serde<K>): Promise<StoreQueryResult<K, V, Q>> {
    const keyed = (op.kind === 'get' || op.kind === 'windowFetch' || op.kind === 'sessionFetch') && keySerde ? keySerde.serialize(op.key as K) : undefined;
    return await storeQuery(this.#readersOf(name, keyed), name, op) as StoreQueryResult<K, V, Q>;
  }

  /** For the query layer: a window or session read, on the key's thread when it has a key. */
  readWindowed<K, V, R extends WindowedRead<K>>(store: string, read: R, keySerde: Serde<K>): Promise<WindowedReadResult<K, V, R>> {
    return this.queryStore<K, V, R>(store, read, keySerde) as Promise<WindowedReadResult<K, V, R>>;
  }

  /** For the query layer: one key, read on the thread that owns it. */
  readKey<K>(store: string, key: K, keySerde: Serde<K>): Promise<unknown> {
    return storeQuery(this.#readersOf(store, keySerde.serialize(key)), store, { kind: 'get', key });
  }

  /** For the query layer: a page of this instance's share, ordered by each store's own key serde. */
  readPage(store: string, _keySerde: Serde<unknown>, request: PageRequest): Promise<Page> {
    return pageQuery(this.#readersOf(store), store, request);
  }

  /**
   * What the live threads last published of the stores their topology module lists in
   * `published`: read here, without waiting for a thread, and at most one commit interval old.
   */
  published(): PublishedView {
    const live = this.#live();
    return publishedView(live.map((t) => t.published), (store) => live.some((t) => t.report?.globalStores.includes(store)));
  }

  /** Runs the topology module's query `name` on every live thread; one answer per thread. */
  async queryThreads<T>(name: string, args?: unknown): Promise<T[]> {
    return Promise.all(this.#live().map((t) => t.request<T>({ type: 'query', name, args })));
  }

  metrics(): StreamsMetrics & { readonly threads: readonly ThreadMetrics[]; readonly replacedThreads: number } {
    const current = this.#live().flatMap((t) => (t.report ? [{ thread: String(t.index), ...t.report.metrics }] : []));
    return { ...combineMetrics(this.#state, current, this.#retired), replacedThreads: this.#replaced };
  }

  brokerConnection(): BrokerConnection {
    const connections = this.#live().map((t) => t.report?.connection);
    return connections.find((c) => c && c.status !== 'connected') ?? connections.find((c) => c !== undefined) ?? { status: 'connected', since: Date.now() } as BrokerConnection;
  }

  #live(): ThreadHandle[] {
    return [...this.#threads.values()].filter((t) => !t.dead).sort((a, b) => a.index - b.index);
  }

  /** The key's partition, the instance owning its task, and the local thread owning it, if known. */
  #locate(store: string, keyBytes: Uint8Array) {
    const sub = this.#live().map((t) => t.report?.storeSubtopologies[store]).find((s) => s !== undefined);
    if (sub === undefined) return undefined;
    const metadata = this.allMetadata();
    // Every task of the sub-topology is listed once the group is stable: their count is the partition count.
    const partitions = 1 + Math.max(-1, ...metadata.flatMap((m) => m.tasks.map(parseTaskId)).filter((t) => t.subtopology === sub).map((t) => t.partition));
    if (partitions === 0) return undefined;
    const partition = partitionOfKey(keyBytes, partitions);
    const id = taskId(sub, partition);
    const owner = metadata.find((m) => m.tasks.includes(id));
    const thread = this.#live().find((t) => t.report?.metrics.tasks.includes(id));
    return { partition, owner, thread };
  }

  #readersOf(store: string, keyBytes?: Uint8Array): ThreadHandle[] {
    const live = this.#live();
    if (live.length === 0) throw new InvalidStateStoreError(`no stream thread is running (state ${this.#state})`);
    // A global store is whole on every thread: one is enough.
    if (live.some((t) => t.report?.globalStores.includes(store))) return [live[0]!];
    const thread = keyBytes ? this.#locate(store, keyBytes)?.thread : undefined;
    return thread ? [thread] : live;
  }

  #spawn(index: number): void {
    const { onDeserializationError: _a, onProcessingError: _b, onProductionError: _c, ...config } = this.#plain;
    this.#threads.set(index, new ThreadHandle({
      start: { threadIndex: index, module: this.#module, config },
      onReport: () => this.#recompute(),
      onLoaded: (handle) => this.#onLoaded(handle),
      onDeath: (handle, cause) => this.#onDeath(handle, cause),
    }));
  }

  // At start, every thread is released once all have built their topology; later ones at once.
  #onLoaded(handle: ThreadHandle): void {
    if (this.#released) return handle.release();
    if (![...this.#threads.values()].every((t) => t.loaded)) return;
    this.#released = true;
    for (const t of this.#threads.values()) t.release();
  }

  #onDeath(handle: ThreadHandle, cause: Error): void {
    if (this.#closing || this.#state === 'ERROR') return;
    if (this.#config.streamThreadFailure === 'replace-thread' && this.#state !== 'CREATED') {
      this.#log(`${cause.message}; replacing it`);
      this.#replaced++;
      this.#retire(handle);
      void handle.terminate();
      this.#spawn(handle.index);
      this.#recompute();
      return;
    }
    this.#error = new StreamsError(`The instance stopped: ${cause.message}`, { cause });
    this.#transition('ERROR');
    this.#started?.reject(this.#error);
    // Kafka Streams' SHUTDOWN_CLIENT: the other threads leave the group, so their tasks move on.
    void Promise.all([...this.#threads.values()].map((t) => (t === handle ? t.terminate() : t.close()))).then(() => this.#signals?.remove());
  }

  #retire(handle: ThreadHandle): void {
    if (handle.report) this.#retired.push({ thread: String(handle.index), ...handle.report.metrics });
  }

  #recompute(): void {
    if (this.#state !== 'RUNNING' && this.#state !== 'REBALANCING') return;
    const live = this.#live();
    const running = live.length === this.#threads.size && live.every((t) => t.report?.state === 'RUNNING') && disjoint(live);
    if (running) {
      this.#transition('RUNNING');
      this.#started?.resolve();
    } else {
      this.#transition('REBALANCING');
    }
  }

  #transition(next: StreamsState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    for (const l of this.#listeners) {
      try { l(next, previous, next === 'ERROR' ? this.#error : undefined); } catch (e) { this.#log(`state listener threw: ${String(e)}`); }
    }
  }


  #log(message: string): void {
    if (this.#config.logLevel !== 'nothing') console.log(`[modelstream ${this.#config.applicationId}] ${message}`);
  }
}
