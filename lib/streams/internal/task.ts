import type { Cancellable, PunctuationType, Punctuator, RecordMetadata } from '../api/processor.ts';
import type { CommitHooks, StateStore, StateStoreContext, RestoreCallback } from '../../state/api/store.ts';
import type { ExceptionHandler } from '../api/handlers.ts';
import type { SourceOptions } from '../topology.ts';
import type { Subtopology } from './compile.ts';
import { Record, type Header } from '../api/record.ts';
import { StreamsError } from '../api/errors.ts';
import { logAndContinue } from '../api/handlers.ts';
import { NodeContext, ProcessorNode, SinkNode, asProcessingError, fromBytes, type NodeHost } from './nodes.ts';
import { PunctuationQueue } from './punctuation.ts';
import { changelogTopic, type ConsumedRecord, type RecordCollector } from './record-collector.ts';
import { StorePositions, encodePositionHeader, type Positions } from './positions.ts';

export interface TaskOptions {
  readonly taskId: string;
  /** The partition this task owns; changelog records go to the same partition. */
  readonly partition: number;
  readonly applicationId: string;
  /** This task's own directory for persistent stores. */
  readonly stateDir: string;
  readonly subtopology: Subtopology;
  /** Store builders by name, for the stores this sub-topology uses. */
  readonly storeBuilders: ReadonlyMap<string, { build(): StateStore; readonly loggingEnabled: boolean }>;
  /** Global stores every processor may read. */
  readonly globalStores?: ReadonlyMap<string, StateStore>;
  readonly collector: RecordCollector;
  readonly wallClock: () => number;
  readonly onDeserializationError?: ExceptionHandler;
  readonly onProcessingError?: ExceptionHandler;
}

export interface TaskMetrics {
  processed: number;
  /** Records skipped because the restored state already reflects them (see `restorePositions`). */
  alreadyApplied: number;
  skippedDeserialization: number;
  skippedProcessing: number;
  punctuations: number;
  /** Records DSL operators dropped on purpose: null keys, late records past a window's grace. */
  droppedRecords: number;
  /** `droppedRecords` by reason: `late`, `null-key`, `null-key-or-value`. */
  droppedRecordsByReason: { [reason: string]: number };
}

export function emptyMetrics(): TaskMetrics {
  return { processed: 0, alreadyApplied: 0, skippedDeserialization: 0, skippedProcessing: 0, punctuations: 0, droppedRecords: 0, droppedRecordsByReason: {} };
}

/** Adds `more` into `total`, field by field. */
export function addMetrics(total: TaskMetrics, more: TaskMetrics): TaskMetrics {
  for (const k of Object.keys(total) as (keyof TaskMetrics)[]) {
    if (k !== 'droppedRecordsByReason') total[k] += more[k];
  }
  // A new object: `total` may be a shallow copy whose map belongs to someone else.
  const byReason: { [reason: string]: number } = { ...total.droppedRecordsByReason };
  for (const [reason, n] of Object.entries(more.droppedRecordsByReason)) byReason[reason] = (byReason[reason] ?? 0) + n;
  total.droppedRecordsByReason = byReason;
  return total;
}

/** A store registered for restoration from its changelog. */
export interface Restorer {
  readonly store: StateStore;
  readonly callback: RestoreCallback;
  readonly changelogTopic: string;
}

/**
 * Runs one partition of one sub-topology: deserializes, processes record by record (awaiting
 * processors that return Promises), punctuates, flushes. The test driver and the Kafka
 * runtime both drive this same class.
 */
export class StreamTask implements NodeHost {
  readonly metrics: TaskMetrics = emptyMetrics();
  readonly stores = new Map<string, StateStore>();
  readonly restorers = new Map<string, Restorer>();
  /** What store wrappers do around a commit, by store name (see CommitHooks). */
  readonly #commitHooks = new Map<string, CommitHooks[]>();
  readonly #sources = new Map<string, { context: NodeContext; options: SourceOptions }>();
  readonly #contexts = new Map<string, NodeContext>();
  readonly #processors: ProcessorNode[] = [];
  readonly #punctuation = new PunctuationQueue();
  #pending: Promise<unknown>[] = [];
  #current: RecordMetadata | undefined;
  #currentTimestamp = 0;
  /** Next offset to process per `topic:partition`, and per store the header that carries it on changelog records. */
  readonly #positions = new Map<string, number>();
  readonly #positionHeaders = new Map<string, Header>();
  /** Below these, every logged store holds the input already; `#stores` says it store by store. */
  readonly #applied = new Map<string, number>();
  /** `topic:partition` strings, made once per partition: every record and store write looks one up. */
  readonly #positionKeys = new Map<string, string[]>();
  readonly #storePositions = new StorePositions();
  #streamTime = -1;
  #commitRequested = false;
  #state: 'created' | 'running' | 'processors-closed' | 'closed' = 'created';

  constructor(private readonly options: TaskOptions) {
    const { subtopology } = options;
    for (const node of subtopology.nodes) {
      // Every processor may read the global stores, as in Kafka Streams; other stores must be connected.
      const allowed = new Set([...(subtopology.nodeStores.get(node.name) ?? []), ...(options.globalStores?.keys() ?? [])]);
      const context = new NodeContext(node.name, this, allowed);
      this.#contexts.set(node.name, context);
      if (node.kind === 'source') {
        this.#sources.set(node.name, { context, options: node.options });
      } else {
        const runtime = node.kind === 'sink'
          ? new SinkNode(node.name, node.options, this)
          : new ProcessorNode(node.name, node.supplier(), context, this);
        if (runtime instanceof ProcessorNode) this.#processors.push(runtime);
        for (const parent of node.parents) this.#contexts.get(parent)!.addChild(runtime);
      }
    }
    for (const name of subtopology.storeNames) {
      const builder = options.storeBuilders.get(name);
      if (!builder) throw new StreamsError(`No builder for state store "${name}"`);
      this.stores.set(name, builder.build());
    }
  }

  get applicationId(): string { return this.options.applicationId; }
  get taskId(): string { return this.options.taskId; }
  get collector(): RecordCollector { return this.options.collector; }
  get partition(): number { return this.options.partition; }
  get commitRequested(): boolean { return this.#commitRequested; }

  /**
   * Whether a commit has work: one was requested or a store holds uncommitted writes (a
   * wall-clock punctuator's, say, with no input). Kafka Streams commits every such task each
   * commit interval, whether or not records arrived.
   */
  get commitNeeded(): boolean {
    if (this.#commitRequested) return true;
    for (const hooks of this.#commitHooks.values()) if (hooks.some((h) => h.pending?.())) return true;
    return false;
  }

  /** Opens the stores (they register for restoration), then initialises the processors. */
  async initializeStores(): Promise<void> {
    const context = this.#storeContext();
    for (const store of this.stores.values()) await store.init(context);
  }

  async initializeProcessors(): Promise<void> {
    for (const node of this.#processors) await node.processor.init?.(node.context);
    this.#state = 'running';
  }

  /** Processes one record; returns a Promise only when a processor (or punctuator) was async. */
  process(raw: ConsumedRecord): void | Promise<void> {
    if (this.#state !== 'running') throw new StreamsError(`Task ${this.taskId} is ${this.#state}, not running`);
    const source = this.#sourceFor(raw.topic);
    const position = this.#positionKey(raw.topic, raw.partition);
    // Below what this task has processed (a batch re-delivered after a failed offset commit) or
    // below what its restored state holds: already applied.
    const applied = Math.max(this.#applied.get(position) ?? 0, this.#positions.get(position) ?? 0);
    if (raw.offset < applied) {
      this.metrics.alreadyApplied++;
      return;
    }
    this.#positions.set(position, raw.offset + 1);
    this.#positionHeaders.clear();
    this.#current = { topic: raw.topic, partition: raw.partition, offset: raw.offset };
    this.#currentTimestamp = raw.timestamp;
    let record: Record<unknown, unknown>;
    try {
      const key = fromBytes(raw.key, source.options.keySerde, raw.topic);
      const value = fromBytes(raw.value, source.options.valueSerde, raw.topic);
      record = new Record(key, value, raw.timestamp, raw.headers);
    } catch (err) {
      this.metrics.skippedDeserialization++;
      this.#handle(this.options.onDeserializationError, err, undefined);
      return;
    }
    if (raw.timestamp > this.#streamTime) this.#streamTime = raw.timestamp;
    this.metrics.processed++;
    try {
      source.context.forward(record);
    } catch (err) {
      this.#processingFailed(err);
    }
    if (this.#pending.length > 0) return this.#drain().then(() => this.#afterRecord());
    return this.#afterRecord();
  }

  /** Source positions this task has processed up to (next offset per `topic:partition`). */
  positions(): ReadonlyMap<string, number> {
    return this.#positions;
  }

  /**
   * Takes what each logged store's restore found: the source positions its state reflects
   * (from its changelog's position headers, or the checkpoint). Records below every store's
   * position are skipped; a store drops the writes of an input it holds already (see StorePositions).
   */
  restorePositions(byStore: ReadonlyMap<string, Positions>): void {
    for (const [store, positions] of byStore) this.#storePositions.restored(store, positions);
    for (const [key, next] of this.#storePositions.skipBelow(this.restorers.keys())) {
      if (next > (this.#applied.get(key) ?? -1)) this.#applied.set(key, next);
    }
  }

  /** Per logged store, the source positions its state reflects after what this task processed. */
  storePositions(): Map<string, Map<string, number>> {
    return new Map([...this.restorers.keys()].map((name) => [name, this.#storePositions.of(name, this.#positions)]));
  }

  /** Fires the wall-clock punctuators due at `now`. */
  punctuateWallClock(now: number): void | Promise<void> {
    return this.#punctuate('wall-clock', now);
  }

  /**
   * The first half of a commit: processors emit what they buffered, then the change-logging
   * wrappers hand the changed keys to the collector. Local stores receive nothing yet.
   */
  async prepareCommit(): Promise<void> {
    if (this.#state === 'running') await this.#flushProcessors();
    for (const hooks of this.#commitHooks.values()) for (const h of hooks) h.beforeSend?.();
  }

  /** The second half, once the collector's records are acknowledged: the stores take the writes. */
  async flushStores(): Promise<void> {
    for (const store of this.stores.values()) await store.flush();
  }

  /** Both halves at once, for a collector that delivers as it is handed records (the test driver). */
  async flush(): Promise<void> {
    await this.prepareCommit();
    await this.flushStores();
  }

  /**
   * Drops the writes of the commit in progress from every store that can (a dirty close).
   * Answers whether the local state is still what the changelogs hold up to the checkpoint:
   * false when a persistent logged store had no write buffer to drop.
   */
  discard(): boolean {
    for (const hooks of this.#commitHooks.values()) for (const h of hooks) h.discard?.();
    return [...this.restorers.values()].every(({ store }) =>
      !store.persistent || (this.#commitHooks.get(store.name) ?? []).some((h) => h.discard !== undefined));
  }

  async #flushProcessors(): Promise<void> {
    const saved = this.#current;
    this.#current = undefined;
    // In topological order, so what a parent emits reaches its children before they flush.
    for (const node of this.#processors) {
      if (!node.processor.flush) continue;
      try {
        const result = node.processor.flush();
        if (result && typeof result.then === 'function') this.track(node.name, result);
      } catch (err) {
        this.#processingFailed(asProcessingError(err, node.name));
      }
      if (this.#pending.length > 0) await this.#drain();
    }
    this.#current = saved;
  }

  /** Marks a commit done (clears the request). */
  committed(): void {
    this.#commitRequested = false;
  }

  /**
   * Closes the processors (first their `flush`, unless `flush: false` for a dirty close), so
   * what they emit on the way out is in the collector before the final commit. `close()`
   * calls it if the runtime did not.
   */
  async closeProcessors(options: { flush?: boolean } = {}): Promise<void> {
    if (this.#state !== 'running') return;
    if (options.flush ?? true) await this.#flushProcessors();
    this.#state = 'processors-closed';
    const errors: unknown[] = [];
    for (const node of this.#processors) {
      try { await node.processor.close?.(); } catch (err) { errors.push(err); }
    }
    if (this.#pending.length > 0) await this.#drain().catch((err) => errors.push(err));
    if (errors.length) throw new StreamsError(`Closing the processors of task ${this.taskId} failed: ${String(errors[0])}`, { cause: errors[0] });
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const errors: unknown[] = [];
    try { await this.closeProcessors(); } catch (err) { errors.push(err); }
    this.#state = 'closed';
    for (const store of this.stores.values()) {
      try { if (store.isOpen) await store.close(); } catch (err) { errors.push(err); }
    }
    if (errors.length) throw new StreamsError(`Closing task ${this.taskId} failed: ${String(errors[0])}`, { cause: errors[0] });
  }

  // NodeHost
  recordMetadata(): RecordMetadata | undefined { return this.#current; }
  streamTime(): number { return this.#streamTime; }
  wallClockTime(): number { return this.options.wallClock(); }
  requestCommit(): void { this.#commitRequested = true; }
  recordDropped(_node: string, reason: string): void {
    this.metrics.droppedRecords++;
    const byReason = this.metrics.droppedRecordsByReason;
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  store(name: string): StateStore | undefined {
    return this.stores.get(name) ?? this.options.globalStores?.get(name);
  }
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    // Stream time aligns to 0 so the first record punctuates; wall-clock waits one interval.
    const start = type === 'stream-time' ? 0 : this.options.wallClock() + intervalMs;
    return this.#punctuation.add(nodeName, type, intervalMs, punctuator, start);
  }
  track(nodeName: string, pending: Promise<void>): void {
    this.#pending.push(pending.catch((err) => { throw asProcessingError(err, nodeName); }));
  }

  #sourceFor(topic: string) {
    for (const source of this.#sources.values()) if (source.options.topics.includes(topic)) return source;
    throw new StreamsError(`Task ${this.taskId} has no source for topic "${topic}"`);
  }

  #afterRecord(): void | Promise<void> {
    if (this.#punctuation.size === 0) return;
    return this.#punctuate('stream-time', this.#streamTime);
  }

  #punctuate(type: PunctuationType, now: number): void | Promise<void> {
    const due = this.#punctuation.due(type, now);
    if (due.length === 0) return;
    const saved = this.#current;
    this.#current = undefined;
    for (const s of due) {
      this.metrics.punctuations++;
      try {
        const result = s.punctuator(now);
        if (result && typeof result.then === 'function') this.track(s.nodeName, result);
      } catch (err) {
        this.#processingFailed(asProcessingError(err, s.nodeName));
      }
    }
    this.#current = saved;
    if (this.#pending.length > 0) return this.#drain();
  }

  /** Awaits every Promise processors left, including those started while awaiting. */
  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      for (const result of await Promise.allSettled(batch)) {
        if (result.status === 'rejected') this.#processingFailed(result.reason);
      }
    }
  }

  #processingFailed(err: unknown): void {
    this.metrics.skippedProcessing++;
    const node = (err as { node?: string }).node;
    this.#handle(this.options.onProcessingError, err, node);
  }

  #handle(handler: ExceptionHandler | undefined, err: unknown, node: string | undefined): void {
    const error = err instanceof Error ? err : new Error(String(err));
    const meta = this.#current ?? { topic: '(punctuation)', partition: this.partition, offset: -1 };
    const site = node === undefined ? { ...meta, taskId: this.taskId } : { ...meta, taskId: this.taskId, node };
    if ((handler ?? logAndContinue)(error, site) === 'fail') {
      // Nobody will await what other processors left running: keep their rejections handled.
      for (const p of this.#pending) p.catch(() => {});
      throw new StreamsError(`Task ${this.taskId} stopped on ${meta.topic}-${meta.partition}@${meta.offset}: ${error.message}`, { cause: error });
    }
  }

  #positionKey(topic: string, partition: number): string {
    let keys = this.#positionKeys.get(topic);
    if (!keys) this.#positionKeys.set(topic, (keys = []));
    return (keys[partition] ??= `${topic}:${partition}`);
  }

  #storeContext(): StateStoreContext {
    const { applicationId, taskId, stateDir, collector, partition } = this.options;
    return {
      applicationId, taskId, stateDir,
      register: (store, callback) => {
        this.restorers.set(store.name, { store, callback, changelogTopic: changelogTopic(applicationId, store.name) });
      },
      logChange: (storeName, key, value, timestamp) => {
        let header = this.#positionHeaders.get(storeName);
        if (!header) this.#positionHeaders.set(storeName, (header = encodePositionHeader(this.#storePositions.of(storeName, this.#positions))));
        collector.send({ topic: changelogTopic(applicationId, storeName), partition, key, value, timestamp, headers: [header] });
      },
      alreadyApplied: (storeName) => {
        const current = this.#current;
        return current !== undefined && this.#storePositions.holds(storeName, this.#positionKey(current.topic, current.partition), current.offset);
      },
      recordTimestamp: () => this.#currentTimestamp,
      registerCommitHooks: (storeName, hooks) => {
        const list = this.#commitHooks.get(storeName);
        if (list) list.push(hooks);
        else this.#commitHooks.set(storeName, [hooks]);
      },
    };
  }
}
