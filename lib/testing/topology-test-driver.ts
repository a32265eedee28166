import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Headers } from '../streams/api/record.ts';
import type { Serde } from '../streams/api/serde.ts';
import type { ExceptionHandler } from '../streams/api/handlers.ts';
import type { KeyValueStore, StateStore } from '../state/api/store.ts';
import type { SessionStore, WindowStore } from '../state/api/window-store.ts';
import { topologyDefinition, type Topology } from '../streams/topology.ts';
import { compileTopology, globalSubtopology, type CompiledTopology, type Subtopology } from '../streams/internal/compile.ts';
import { StreamTask, addMetrics, emptyMetrics, type TaskMetrics } from '../streams/internal/task.ts';
import type { ConsumedRecord, ProducedRecord, RecordCollector } from '../streams/internal/record-collector.ts';
import { TestInputTopic, TestOutputTopic } from './test-topics.ts';

export interface TestDriverOptions {
  readonly applicationId?: string;
  /** Where persistent stores live; a temporary directory (removed on close) when absent. */
  readonly stateDir?: string;
  /** The driver's wall clock starts here (default: now); it moves only with `advanceWallClockTime`. */
  readonly initialWallClockTimeMs?: number;
  readonly onDeserializationError?: ExceptionHandler;
  readonly onProcessingError?: ExceptionHandler;
}

/**
 * Runs a topology in-process with no broker, through the same `StreamTask` the Kafka runtime
 * uses: one task (partition 0) per sub-topology. Each piped record is processed and the
 * stores flushed (a commit) before `pipeInput` resolves.
 */
export class TopologyTestDriver {
  readonly #compiled: CompiledTopology;
  readonly #tasks: StreamTask[] = [];
  readonly #taskByTopic = new Map<string, StreamTask>();
  readonly #outputs = new Map<string, ProducedRecord[]>();
  readonly #offsets = new Map<string, number>();
  readonly #stateDir: string;
  readonly #ownsStateDir: boolean;
  #wallClock: number;
  #ready: Promise<void> | undefined;
  #initialized = false;
  #closed = false;
  /** Records sinks wrote to the topology's own source topics, to be processed next. */
  #loopback: ProducedRecord[] = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(topology: Topology, private readonly options: TestDriverOptions = {}) {
    const applicationId = options.applicationId ?? 'test-app';
    this.#compiled = compileTopology(topologyDefinition(topology), { applicationId });
    this.#wallClock = options.initialWallClockTimeMs ?? Date.now();
    this.#ownsStateDir = options.stateDir === undefined;
    this.#stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'modelstream-driver-'));
    const def = this.#compiled.definition;
    const collector: RecordCollector = {
      send: (record) => {
        this.#queueFor(record.topic).push(record);
        if (this.#taskByTopic.has(record.topic)) this.#loopback.push(record);
      },
      partitionsFor: () => 1,
    };
    const builders = new Map([...def.stores].map(([name, s]) => [name, s.builder]));
    const globalStores = new Map<string, StateStore>();
    const newTask = (sub: Subtopology, storeBuilders: typeof builders, globals?: Map<string, StateStore>) => {
      const taskId = `${sub.id}_0`;
      const stateDir = join(this.#stateDir, applicationId, taskId);
      mkdirSync(stateDir, { recursive: true });
      return new StreamTask({
        taskId, partition: 0, applicationId, stateDir, subtopology: sub, storeBuilders, globalStores: globals, collector,
        wallClock: () => this.#wallClock,
        onDeserializationError: options.onDeserializationError,
        onProcessingError: options.onProcessingError,
      });
    };
    // Global stores first: every other task may read them.
    this.#compiled.globalStores.forEach((g, i) => {
      const sub = globalSubtopology(g, this.#compiled.subtopologies.length + i);
      const task = newTask(sub, new Map([[g.builder.name, g.builder]]));
      for (const [name, store] of task.stores) globalStores.set(name, store);
      this.#tasks.push(task);
      this.#taskByTopic.set(g.options.topic, task);
    });
    for (const sub of this.#compiled.subtopologies) {
      const task = newTask(sub, builders, globalStores);
      this.#tasks.unshift(task);
      for (const topic of sub.sourceTopics) this.#taskByTopic.set(topic, task);
    }
  }

  /** Opens stores and initialises processors; every async method calls it first. */
  init(): Promise<void> {
    this.#ready ??= (async () => {
      const globalsFirst = [...this.#tasks].reverse();
      for (const task of globalsFirst) await task.initializeStores();
      for (const task of globalsFirst) await task.initializeProcessors();
      this.#initialized = true;
    })();
    return this.#ready;
  }

  createInputTopic<K, V>(topic: string, keySerde?: Serde<K>, valueSerde?: Serde<V>): TestInputTopic<K, V> {
    if (!this.#taskByTopic.has(topic)) {
      throw new Error(`Topic "${topic}" is not a source of this topology (sources: ${[...this.#taskByTopic.keys()].join(', ')})`);
    }
    return new TestInputTopic(topic, (t, k, v, ts, h) => this.#pipe(t, k, v, ts, h), keySerde, valueSerde);
  }

  createOutputTopic<K, V>(topic: string, keySerde?: Serde<K>, valueSerde?: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(topic, this.#queueFor(topic), keySerde, valueSerde);
  }

  /** Topics the topology has written to so far (sinks and changelogs). */
  producedTopicNames(): string[] {
    return [...this.#outputs].filter(([, q]) => q.length > 0).map(([t]) => t);
  }

  getStateStore<S extends StateStore = StateStore>(name: string): S {
    if (!this.#initialized) throw new Error('The driver is not initialised yet: await driver.init() (or a pipeInput) first');
    for (const task of this.#tasks) {
      const store = task.stores.get(name);
      if (store) return store as S;
    }
    throw new Error(`No state store named "${name}" in this topology`);
  }

  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    return this.getStateStore<KeyValueStore<K, V>>(name);
  }

  getWindowStore<K, V>(name: string): WindowStore<K, V> {
    return this.getStateStore<WindowStore<K, V>>(name);
  }

  getSessionStore<K, V>(name: string): SessionStore<K, V> {
    return this.getStateStore<SessionStore<K, V>>(name);
  }

  /** Moves the wall clock on and fires the wall-clock punctuators that are due. */
  async advanceWallClockTime(ms: number): Promise<void> {
    await this.init();
    this.#wallClock += ms;
    for (const task of this.#tasks) await task.punctuateWallClock(this.#wallClock);
    await this.#processAll([]);
  }

  /** Processing counters summed over all tasks. */
  metrics(): TaskMetrics {
    return this.#tasks.reduce((total, t) => addMetrics(total, t.metrics), emptyMetrics());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#initialized) {
      await this.#commit();
      for (const task of this.#tasks) await task.close();
    }
    if (this.#ownsStateDir) rmSync(this.#stateDir, { recursive: true, force: true });
  }

  /** Pipes run one after another even when callers do not await, as records of one partition do. */
  #pipe(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number | undefined, headers: Headers): Promise<void> {
    const run = this.#queue.then(() => this.#pipeNow(topic, key, value, timestamp, headers));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #pipeNow(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number | undefined, headers: Headers): Promise<void> {
    if (this.#closed) throw new Error('The driver is closed');
    await this.init();
    await this.#processAll([this.#consumed(topic, key, value, timestamp ?? this.#wallClock, headers)]);
  }

  /**
   * Processes records and commits, again and again while sinks (or processors' flush at the
   * commit) write to the topology's own source topics: they flow on, as on a real broker.
   */
  async #processAll(pending: ConsumedRecord[]): Promise<void> {
    do {
      for (let next = pending.shift(); next; next = pending.shift()) {
        await this.#taskByTopic.get(next.topic)!.process(next);
        for (const r of this.#loopback.splice(0)) pending.push(this.#consumed(r.topic, r.key, r.value, r.timestamp, r.headers));
      }
      await this.#commit();
      for (const r of this.#loopback.splice(0)) pending.push(this.#consumed(r.topic, r.key, r.value, r.timestamp, r.headers));
    } while (pending.length > 0);
  }

  #consumed(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): ConsumedRecord {
    const offset = this.#offsets.get(topic) ?? 0;
    this.#offsets.set(topic, offset + 1);
    return { topic, partition: 0, offset, timestamp, key, value, headers };
  }

  async #commit(): Promise<void> {
    for (const task of this.#tasks) {
      await task.flush();
      task.committed();
    }
  }

  #queueFor(topic: string): ProducedRecord[] {
    let q = this.#outputs.get(topic);
    if (!q) this.#outputs.set(topic, (q = []));
    return q;
  }
}
