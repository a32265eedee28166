import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { StateStore } from '../state/api/store.ts';
import type { CompiledTopology } from '../streams/internal/compile.ts';
import { globalSubtopology } from '../streams/internal/compile.ts';
import { StreamTask } from '../streams/internal/task.ts';
import type { ResolvedConfig } from './config.ts';
import { PartitionReader, watermarks, type PartitionRange } from './partition-reader.ts';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.ts';

/**
 * Keeps every global store filled from all partitions of its topic on this instance:
 * bootstrapped to the topic's end before processing starts, then kept up to date.
 */
export class GlobalStores {
  readonly stores = new Map<string, StateStore>();
  readonly #tasks = new Map<string, StreamTask>();
  readonly #dir: string;
  #reader: PartitionReader | undefined;
  #checkpoint: Checkpoint = { offsets: {}, positions: {}, stores: {} };
  /** Records applied since the last flush. */
  #unflushed = true;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly compiled: CompiledTopology,
    private readonly config: ResolvedConfig,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {
    this.#dir = join(config.stateDir, config.applicationId, 'global');
    compiled.globalStores.forEach((g, i) => {
      const task = new StreamTask({
        taskId: `global-${g.builder.name}`, partition: 0, applicationId: config.applicationId, stateDir: this.#dir,
        subtopology: globalSubtopology(g, compiled.subtopologies.length + i),
        storeBuilders: new Map([[g.builder.name, g.builder]]),
        collector: { send: () => {}, partitionsFor: () => undefined },
        wallClock: Date.now,
        onDeserializationError: config.onDeserializationError, onProcessingError: config.onProcessingError,
      });
      this.#tasks.set(g.options.topic, task);
      for (const [name, store] of task.stores) this.stores.set(name, store);
    });
  }

  /** Opens the stores and reads every global topic to its current end. */
  async bootstrap(): Promise<void> {
    if (this.#tasks.size === 0) return;
    mkdirSync(this.#dir, { recursive: true });
    const found = readCheckpoint(this.#dir);
    // A checkpoint still pending is one whose store batch may or may not have landed: the
    // stores' state is unknown, so it counts as none.
    this.#checkpoint = found.pending ? { offsets: {}, positions: {}, stores: {} } : found;
    const ranges: PartitionRange[] = [];
    for (const [topic, task] of this.#tasks) {
      // A persistent store with no checkpoint for its topic holds records from an unknown offset
      // (a crash before the first checkpoint): replaying the topic over it would apply them twice.
      if (this.#checkpoint.offsets[topic] === undefined) {
        for (const store of task.stores.values()) if (store.persistent) rmSync(join(this.#dir, store.name), { recursive: true, force: true });
      }
      await task.initializeStores();
      await task.initializeProcessors();
      const persistent = [...task.stores.values()].every((s) => s.persistent);
      const fromLatest = this.compiled.globalStores.find((g) => g.options.topic === topic)?.options.resetFrom === 'latest';
      for (const [partition, { low, high }] of await watermarks(this.admin, topic)) {
        const applied = persistent ? this.#checkpoint.offsets[topic]?.[partition] : undefined;
        const start = applied !== undefined ? Math.max(low, applied + 1) : fromLatest ? high : low;
        ranges.push({ topic, partition, from: start, to: high });
      }
    }
    this.#reader = new PartitionReader({
      kafka: this.kafka, admin: this.admin, groupPrefix: `${this.config.applicationId}-global`, ranges, follow: true,
      // Records and flushes take turns, so a flush's offsets are exactly what its store batch holds.
      onRecords: (topic, partition, records) => this.#serial(async () => {
        const task = this.#tasks.get(topic)!;
        for (const r of records) {
          const pending = task.process({ topic, partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
          if (pending) await pending;
        }
        (this.#checkpoint.offsets[topic] ??= {})[partition] = records[records.length - 1]!.offset;
        this.#unflushed = true;
      }),
    });
    await this.#reader.start();
    await this.#reader.caughtUp;
    await this.flush();
    this.#timer = setInterval(() => { this.flush().catch(() => {}); }, Math.max(1000, this.config.commitIntervalMs));
  }

  /**
   * Writes the stores, then a checkpoint naming the offsets they hold. A global store may be
   * folded (not last-value, so not idempotent): the checkpoint is marked pending while the batch
   * is written, and a crash in between makes the next start rebuild the stores from the topic.
   */
  flush(): Promise<void> {
    return this.#serial(async () => {
      // Nothing arrived since the last flush: the stores and the checkpoint already agree (this
      // runs every second; two synchronous file writes and renames each time were ~1% of a thread).
      if (this.#tasks.size === 0 || !this.#unflushed) return;
      const applied = structuredClone(this.#checkpoint);
      writeCheckpoint(this.#dir, { ...applied, pending: true });
      for (const task of this.#tasks.values()) await task.flush();
      writeCheckpoint(this.#dir, applied);
      this.#unflushed = false;
    });
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(work);
    this.#chain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#chain;
    await this.#reader?.stop();
    if (this.#reader) await this.flush();
    for (const task of this.#tasks.values()) await task.close();
  }
}
