import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { StateStore, StoreBuilder } from '../state/api/store.ts';
import type { CompiledTopology } from '../streams/internal/compile.ts';
import { changelogTopic, type ConsumedRecord } from '../streams/internal/record-collector.ts';
import { StreamTask, addMetrics, emptyMetrics, type TaskMetrics } from '../streams/internal/task.ts';
import { decodePositionHeader, merge } from '../streams/internal/positions.ts';
import type { ResolvedConfig } from './config.ts';
import { KafkaRecordCollector, type DroppedRecords } from './collector.ts';
import { isStateAhead, markStateAhead, readCheckpoint, storePositionsOf, writeCheckpoint, type Checkpoint } from './checkpoint.ts';
import { ChangelogReplay } from './changelog-replay.ts';
import type { TopicLimits } from './topic-limits.ts';
import { readOnce, watermarks, type ReadRecord } from './partition-reader.ts';
import { compareTaskIds, parseTaskId, taskId } from './assignment.ts';
import { FencedTasks, ProducerFencedError, TaskTransactions, taskTransactionalId, type SourceOffset } from './eos-commit.ts';

/** Synchronous processing of one batch between two turns of the event loop, at most (ms). */
const SLICE_MS = 5;

/**
 * Under at-least-once a commit writes the checkpoint (a file write and a rename, synchronous)
 * only once its changelogs have advanced this many records since the last one, as Kafka Streams'
 * OFFSET_DELTA_THRESHOLD_FOR_CHECKPOINT; a clean close always writes it. An older checkpoint
 * only lengthens a restore: the changelog past it replays latest values per key, and each
 * store's positions come from its last record's header.
 */
export const CHECKPOINT_EVERY_RECORDS = 10_000;

/** A task with what the runtime keeps beside it. */
interface ManagedTask {
  readonly id: string;
  readonly task: StreamTask;
  readonly collector: KafkaRecordCollector;
  readonly dir: string;
  readonly persistent: boolean;
  readonly ready: Promise<void>;
  /** Under exactly_once_v2: the task's transactional producer, through which every commit goes. */
  readonly transactions: TaskTransactions | undefined;
  checkpoint: Checkpoint;
  /** Serializes batches, punctuations and the close of this task. */
  chain: Promise<void>;
  /** When this task last committed (ms): an idle task commits at most every commitIntervalMs. */
  committedAt: number;
  /** Changelog records committed since the checkpoint was last written, and whether a commit skipped it. */
  sinceCheckpoint: number;
  checkpointBehind: boolean;
}

export interface RestoreStats {
  records: number;
  ms: number;
}

export interface TaskManagerOptions {
  readonly config: ResolvedConfig;
  readonly compiled: CompiledTopology;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly globalStores: ReadonlyMap<string, StateStore>;
  readonly log: (message: string) => void;
  /** `max.message.bytes` per topic, for the collectors. */
  readonly limits: TopicLimits;
  /** Records the production handler dropped, by reason. */
  readonly dropped: DroppedRecords;
  /** After each task's commit: its outputs are acknowledged and its stores flushed. */
  readonly onCommitted?: (taskId: string) => void;
}

/** Creates, runs, commits and closes the tasks this instance is assigned. */
export class TaskManager {
  readonly #tasks = new Map<string, ManagedTask>();
  readonly #subByTopic = new Map<string, number>();
  readonly #builders: Map<string, StoreBuilder>;
  readonly restore: RestoreStats = { records: 0, ms: 0 };
  readonly #closedMetrics: TaskMetrics = emptyMetrics();
  readonly #fenced: FencedTasks;

  constructor(private readonly options: TaskManagerOptions) {
    for (const sub of options.compiled.subtopologies) for (const t of sub.sourceTopics) this.#subByTopic.set(t, sub.id);
    // Half a session: at least two heartbeats (every session/5) answered since the fencing.
    this.#fenced = new FencedTasks(Math.max(1000, options.config.sessionTimeoutMs / 2));
    this.#builders = new Map([...options.compiled.definition.stores].map(([n, s]) => [n, s.builder]));
  }

  get appDir(): string {
    return join(this.options.config.stateDir, this.options.config.applicationId);
  }

  ownedTasks(): string[] {
    return [...this.#tasks.keys()].sort(compareTaskIds);
  }

  /** Tasks whose state directory holds a checkpoint: cheap to take over. */
  localTasks(): string[] {
    if (!existsSync(this.appDir)) return [];
    return readdirSync(this.appDir).filter((d) => /^\d+_\d+$/.test(d) && existsSync(join(this.appDir, d, '.checkpoint')));
  }

  stores(name: string): StateStore[] {
    return [...this.#tasks.values()].flatMap((t) => (t.task.stores.has(name) ? [t.task.stores.get(name)!] : []));
  }

  metrics(): TaskMetrics {
    return [...this.#tasks.values()].reduce((total, t) => addMetrics(total, t.task.metrics), { ...this.#closedMetrics });
  }

  /** Brings the task set in line with a new assignment: closes revoked tasks, opens new ones. */
  async assign(assignment: { [topic: string]: number[] }): Promise<void> {
    const wanted = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      const sub = this.#subByTopic.get(topic);
      if (sub !== undefined) for (const p of partitions) wanted.add(taskId(sub, p));
    }
    this.#fenced.clear();
    const revoked = [...this.#tasks.keys()].filter((id) => !wanted.has(id));
    await Promise.all(revoked.map((id) => this.#close(id, 'clean')));
    for (const id of wanted) if (!this.#tasks.has(id)) this.#open(id);
    await Promise.all([...this.#tasks.values()].map((t) => t.ready));
  }

  /**
   * Processes one fetched batch of a partition, committing (see #commit) after every
   * `maxRecordsPerCommit` records or `commitIntervalMs`, and at its end: a crash replays at
   * most that much of the batch.
   */
  async processBatch(
    topic: string,
    partition: number,
    records: readonly ConsumedRecord[],
    hooks: { stillOwned(): boolean; heartbeat(): Promise<void>; commit(nextOffset: number): Promise<void> },
  ): Promise<void> {
    const sub = this.#subByTopic.get(topic);
    if (sub === undefined) return;
    const id = taskId(sub, partition);
    if (this.#fenced.has(id)) return this.#fenced.idle(id, hooks.heartbeat);
    const managed = this.#tasks.get(id) ?? this.#open(id);
    managed.ready.catch(() => {}); // a failed open is handled below, by the dirty close
    const { maxRecordsPerCommit, commitIntervalMs } = this.options.config;
    // A failure while processing or committing leaves the task's buffers (and its processors'
    // memory) ahead of what is durable; one after the outputs were acknowledged does not.
    let phase = 'waiting' as 'waiting' | 'processing' | 'durable';
    const run = managed.chain.then(async () => {
      await waitBeating(managed.ready, hooks.heartbeat);
      phase = 'processing';
      let next: number | undefined;
      let committedNext: number | undefined;
      let uncommitted = 0;
      let lastCommit = Date.now();
      let lastBeat = Date.now();
      let sliceStart = performance.now();
      const commit = async () => {
        await managed.task.punctuateWallClock(Date.now());
        await this.#commit(managed, next !== undefined && next !== committedNext ? { topic, partition, offset: next } : undefined);
        phase = 'durable';
        if (next !== undefined && next !== committedNext) await hooks.commit(next);
        committedNext = next;
        phase = 'processing';
        uncommitted = 0;
        lastCommit = Date.now();
      };
      for (const record of records) {
        if (!hooks.stillOwned()) break;
        const pending = managed.task.process(record);
        if (pending) await pending;
        next = record.offset + 1;
        uncommitted++;
        if (uncommitted >= maxRecordsPerCommit || Date.now() - lastCommit >= commitIntervalMs) await commit();
        // A long batch of synchronous processors would hold the event loop for all of it: let
        // queries, heartbeats and the other tasks in after each slice.
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
        if (Date.now() - lastBeat > 1000) {
          // A rebalance is coming: stop here and commit what was processed.
          try { await hooks.heartbeat(); } catch { break; }
          lastBeat = Date.now();
        }
      }
      if (uncommitted > 0 || committedNext === undefined) await commit();
    });
    managed.chain = run.catch(() => {});
    try {
      await run;
    } catch (err) {
      if (phase === 'processing' || (await managed.ready.then(() => false, () => true))) await this.#close(id, 'dirty');
      if (err instanceof ProducerFencedError) return this.#fenced.add(id, err, this.options.log);
      throw err;
    }
    await this.#rebuildIfAhead(managed);
  }

  /** Fires wall-clock punctuators of idle tasks and commits what they produced (outputs or store writes). */
  async punctuateAll(now: number): Promise<void> {
    await Promise.all([...this.#tasks.values()].map((managed) => {
      const run = managed.chain.then(async () => {
        await managed.ready;
        await managed.task.punctuateWallClock(now);
        const due = now - managed.committedAt >= this.options.config.commitIntervalMs;
        if (due && (managed.collector.pendingCount > 0 || managed.task.commitNeeded)) await this.#commit(managed);
      });
      managed.chain = run.catch(() => {});
      // What the failed commit held is gone from the buffers: rebuild the task from its changelog.
      return run.then(() => this.#rebuildIfAhead(managed), async (err) => {
        if (await managed.ready.then(() => true, () => false)) await this.#close(managed.id, 'dirty');
        if (err instanceof ProducerFencedError) return this.#fenced.add(managed.id, err, this.options.log);
        throw err;
      });
    }));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#tasks.keys()].map((id) => this.#close(id, 'clean')));
  }

  #open(id: string): ManagedTask {
    const { config, compiled, producer, partitionCounts, globalStores } = this.options;
    const sub = compiled.subtopologies[parseTaskId(id).subtopology]!;
    const dir = join(this.appDir, id);
    // A store that kept a change its changelog refused (and a crash came before the rebuild).
    if (isStateAhead(dir)) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const changelogs = new Set(sub.storeNames.map((name) => changelogTopic(config.applicationId, name)));
    let task: StreamTask | undefined;
    const collector = new KafkaRecordCollector({
      producer, partitionCounts, changelogTopics: changelogs, limits: this.options.limits, taskId: id,
      origin: () => task?.recordMetadata(), onProductionError: config.onProductionError, dropped: this.options.dropped,
    });
    task = new StreamTask({
      taskId: id, partition: parseTaskId(id).partition, applicationId: config.applicationId, stateDir: dir,
      subtopology: sub, storeBuilders: this.#builders, globalStores, collector, wallClock: Date.now,
      onDeserializationError: config.onDeserializationError, onProcessingError: config.onProcessingError,
    });
    const persistent = [...task.stores.values()].some((s) => s.persistent);
    const transactions = config.processingGuarantee === 'exactly_once_v2' ? new TaskTransactions({
      kafka: this.options.kafka, transactionalId: taskTransactionalId(config.applicationId, id), groupId: config.applicationId,
      transactionTimeoutMs: config.transactionTimeoutMs,
    }) : undefined;
    const managed: ManagedTask = { id, task, collector, dir, persistent, transactions, checkpoint: { offsets: {}, positions: {}, stores: {} }, chain: Promise.resolve(), committedAt: 0, sinceCheckpoint: 0, checkpointBehind: false, ready: Promise.resolve() };
    // Under exactly-once the transactional id is registered first: it ends what a previous owner left open before the restore reads.
    (managed as { ready: Promise<void> }).ready = transactions ? transactions.init().then(() => this.#initialize(managed)) : this.#initialize(managed);
    managed.chain = managed.ready.catch(() => {});
    this.#tasks.set(id, managed);
    return managed;
  }

  /** Opens the stores and restores them from their changelogs before the first record. */
  async #initialize(managed: ManagedTask): Promise<void> {
    const { task } = managed;
    await this.#wipeIfCheckpointAhead(managed);
    await task.initializeStores();
    const saved = readCheckpoint(managed.dir);
    // Per store: its stores' changelogs are separate partitions, landed or not one by one.
    const positions = new Map<string, Map<string, number>>([...task.restorers.keys()].map((name) => [name, new Map()]));
    const ranges = [];
    for (const restorer of task.restorers.values()) {
      const marks = (await watermarks(this.options.admin, restorer.changelogTopic)).get(task.partition);
      if (!marks) continue;
      const applied = restorer.store.persistent ? saved.offsets[restorer.changelogTopic]?.[task.partition] : undefined;
      const from = applied === undefined ? marks.low : Math.max(marks.low, applied + 1);
      ranges.push({ topic: restorer.changelogTopic, partition: task.partition, from, to: marks.high });
      if (applied !== undefined) {
        (managed.checkpoint.offsets[restorer.changelogTopic] ??= {})[task.partition] = applied;
        merge(positions.get(restorer.store.name)!, storePositionsOf(saved, restorer.store.name));
      }
    }
    const byTopic = new Map([...task.restorers.values()].map((r) => [r.changelogTopic, { restorer: r, replay: new ChangelogReplay<ReadRecord>() }]));
    const started = Date.now();
    const read = await readOnce({
      kafka: this.options.kafka, admin: this.options.admin, groupPrefix: `${this.options.config.applicationId}-restore-${task.taskId}`,
      ranges,
      onRecords: (topic, partition, fetched) => {
        const { restorer, replay } = byTopic.get(topic)!;
        const records = replay.accept(fetched);
        if (records.length === 0) return;
        restorer.callback.restoreBatch(records.map((r) => ({ key: r.key ?? new Uint8Array(0), value: r.value })));
        const last = records[records.length - 1]!;
        (managed.checkpoint.offsets[topic] ??= {})[partition] = last.offset;
        const at = decodePositionHeader(last.headers);
        if (at) merge(positions.get(restorer.store.name)!, at);
      },
    });
    // An unfinished commit's pending records stay in the changelog, and a later restore would
    // release them at the next confirmed record. So their keys' current values are logged again,
    // confirmed, before anything is processed: every later restore sees them superseded.
    let relogged = false;
    for (const [topic, { restorer, replay }] of byTopic) {
      if (!replay.unconfirmed) continue;
      this.options.log(`task ${task.taskId}: ${replay.unconfirmed} records at the end of ${topic} belong to a commit that did not finish; not applied, their keys logged again`);
      if (restorer.callback.relog) {
        restorer.callback.relog(replay.held().map((r) => r.key ?? new Uint8Array(0)));
        relogged = true;
      }
    }
    task.restorePositions(positions);
    recordPositions(managed);
    if (read > 0) {
      const ms = Date.now() - started;
      this.restore.records += read;
      this.restore.ms += ms;
      this.options.log(`task ${task.taskId}: restored ${read} changelog records in ${ms} ms`);
      await task.flushStores();
      if (managed.persistent) writeCheckpoint(managed.dir, managed.checkpoint);
    }
    await task.initializeProcessors();
    if (relogged) await this.#commit(managed);
  }

  /**
   * A checkpoint at or beyond its changelog's end (the topic was deleted and recreated, or
   * truncated) vouches for state the changelog no longer has: as Kafka Streams does with a
   * corrupted task, wipe the local state (before the stores open) and restore from the start.
   */
  async #wipeIfCheckpointAhead(managed: ManagedTask): Promise<void> {
    const { offsets } = readCheckpoint(managed.dir);
    const partition = managed.task.partition;
    for (const [topic, byPartition] of Object.entries(offsets)) {
      const applied = byPartition[partition];
      if (applied === undefined) continue;
      // A topic that is no changelog any more is the restore's business, not this check's.
      const marks = await watermarks(this.options.admin, topic).then((m) => m.get(partition), () => 'unknown' as const);
      if (marks === 'unknown' || (marks && applied < marks.high)) continue;
      this.options.log(`task ${managed.id}: checkpoint offset ${applied} of ${topic} is not below its end (${marks?.high ?? 'no partition'}); wiping the local state and restoring from the changelog`);
      rmSync(managed.dir, { recursive: true, force: true });
      mkdirSync(managed.dir, { recursive: true });
      return;
    }
  }

  /*
   * A commit, in this order (at-least-once, with state exact after a kill -9 at any instant):
   *  1. prepareCommit: processors flush (emitting what they buffered), and change logging hands
   *     each changed key's latest value to the collector. The local stores have not seen this
   *     commit's writes: a persistent logged store keeps them in its write buffer (KIP-892's
   *     transaction buffer, WriteBufferedKeyValueBytesStore), reads see them there.
   *  2. collector.flush: the sink records, then the changelog records, acks=all; in one request,
   *     or in pieces all but the last of which carry the pending header, so that a restore
   *     applies a commit's changelog only once its last, confirming piece is there.
   *  3. flushStores: the write buffers go to the local stores, which make them durable.
   *  4. the checkpoint: changelog offsets now in the local stores, source positions they reflect.
   *  5. the source offsets, committed by the caller.
   * So a local store only ever holds writes its changelog has: it lies between the checkpoint
   * and the changelog's end. A restore replays the changelog from the checkpoint to its end
   * (latest values per key, so replaying what the store already has is harmless) and takes each
   * store's source positions from its last record's header (or the checkpoint): re-delivered
   * records below every store's position are skipped, and a store drops the writes of those it
   * holds already (its changelog landed, another store's did not: StorePositions). Killed
   * before 2 lands, the changelog has none of the commit (one request) and its records run
   * again: outputs repeat, state does not. Killed after 2, the changelog has it all and the
   * restore brings the store to it, whatever 3-5 reached.
   */
  async #commit(managed: ManagedTask, source?: SourceOffset, closing = false): Promise<void> {
    managed.committedAt = Date.now();
    await managed.task.prepareCommit();
    // Exactly-once: 2 and 5 are one transaction, and 3-4 follow its commit (see eos-commit.ts).
    const written = managed.transactions
      ? await managed.transactions.commit((txn) => managed.collector.flush(txn), source)
      : await managed.collector.flush();
    await managed.task.flushStores();
    for (const [key, offset] of written) {
      const sep = key.lastIndexOf(':');
      const topic = key.slice(0, sep);
      if (managed.task.restorers.size && [...managed.task.restorers.values()].some((r) => r.changelogTopic === topic)) {
        const byPartition = (managed.checkpoint.offsets[topic] ??= {});
        const previous = byPartition[key.slice(sep + 1)];
        managed.sinceCheckpoint += previous === undefined ? CHECKPOINT_EVERY_RECORDS : offset - previous;
        byPartition[key.slice(sep + 1)] = offset;
      }
    }
    recordPositions(managed);
    // A dropped changelog record leaves the local store ahead of its changelog: no checkpoint may
    // vouch for it, and the task is rebuilt from the changelog (#rebuildIfAhead, or at its next open).
    if (managed.collector.stateAhead) markStateAhead(managed.dir);
    else if (managed.persistent && (written.size || (closing && managed.checkpointBehind))) {
      if (closing || managed.transactions || managed.sinceCheckpoint >= CHECKPOINT_EVERY_RECORDS) {
        writeCheckpoint(managed.dir, managed.checkpoint);
        managed.sinceCheckpoint = 0;
        managed.checkpointBehind = false;
      } else {
        managed.checkpointBehind = true;
      }
    }
    managed.task.committed();
    this.options.onCommitted?.(managed.id);
  }

  /** Closes a task whose store kept a change its changelog refused, and opens it again from the changelog. */
  async #rebuildIfAhead(managed: ManagedTask): Promise<void> {
    if (!managed.collector.stateAhead || this.#tasks.get(managed.id) !== managed) return;
    this.options.log(`task ${managed.id}: a changelog record was dropped; rebuilding its state from the changelog`);
    await this.#close(managed.id, 'clean');
    this.#open(managed.id);
  }

  async #close(id: string, how: 'clean' | 'dirty'): Promise<void> {
    const managed = this.#tasks.get(id);
    if (!managed) return;
    this.#tasks.delete(id);
    await managed.chain;
    let exact = true;
    let failure: { err: unknown } | undefined;
    try {
      if (how === 'clean') {
        try {
          await managed.ready;
          await managed.task.closeProcessors();
          await this.#commit(managed, undefined, true);
        } catch (err) {
          // The buffers hold writes the changelog may lack: close as a crash would (below).
          this.options.log(`task ${id}: the commit of a clean close failed, closing it dirty: ${String(err)}`);
          failure = { err };
        }
      }
      if (how === 'dirty' || failure) {
        await managed.task.closeProcessors({ flush: false }).catch((err) => this.options.log(`task ${id}: closing processors failed: ${String(err)}`));
        managed.collector.discard();
        exact = managed.task.discard();
      }
      if (failure) throw failure.err;
    } finally {
      addMetrics(this.#closedMetrics, managed.task.metrics);
      await managed.task.close().catch((err) => this.options.log(`task ${id}: close failed: ${String(err)}`));
      await managed.transactions?.close().catch((err) => this.options.log(`task ${id}: closing its producer failed: ${String(err)}`));
      // The write buffers kept this commit out of the local stores, so they still match their
      // checkpoint and changelog and only the tail is restored. A persistent logged store
      // without one may hold writes no changelog covers, and a dropped changelog record leaves
      // the store ahead of its changelog: then rebuild it from the changelog.
      if (!exact || managed.collector.stateAhead) rmSync(managed.dir, { recursive: true, force: true });
    }
  }
}

/** The source positions the next checkpoint vouches for: the task's, and each store's own. */
function recordPositions(managed: ManagedTask): void {
  managed.checkpoint.positions = Object.fromEntries(managed.task.positions());
  managed.checkpoint.stores = Object.fromEntries([...managed.task.storePositions()].map(([name, p]) => [name, Object.fromEntries(p)]));
}

/** Waits for `done`, heartbeating meanwhile so a long restore does not cost the group membership. */
export async function waitBeating(done: Promise<unknown>, heartbeat: () => Promise<void>, everyMs = 1000): Promise<void> {
  let settled = false;
  const watched = done.then(() => { settled = true; }, () => { settled = true; });
  while (!settled) {
    await Promise.race([watched, new Promise((r) => setTimeout(r, everyMs))]);
    if (!settled) await heartbeat();
  }
  await done;
}
