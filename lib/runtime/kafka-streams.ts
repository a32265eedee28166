import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Serde } from '../streams/api/serde.ts';
import type { StateStore } from '../state/api/store.ts';
import { topologyDefinition, type Topology } from '../streams/topology.ts';
import { emptyMetrics, type TaskMetrics } from '../streams/internal/task.ts';
import { compileTopology, type CompiledTopology } from '../streams/internal/compile.ts';
import { changelogTopic } from '../streams/internal/record-collector.ts';
import { StreamsError } from '../streams/api/errors.ts';
import { resolveConfig, StreamsConfigError, type ResolvedConfig, type StreamsConfig } from './config.ts';
import { streamsAssigner } from './assignor.ts';
import { TaskManager, waitBeating } from './task-manager.ts';
import { GlobalStores } from './global-stores.ts';
import { fromKafkaHeaders, type DroppedRecords } from './collector.ts';
import { TopicLimits } from './topic-limits.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore, SessionStore, WindowStore } from '../state/api/window-store.ts';
import { CompositeReadOnlySessionStore, CompositeReadOnlyWindowStore } from './composite-window-store.ts';
import { changelogConfig, internalTopicPartitions, repartitionConfig } from './internal-topics.ts';
import { ensureTopics } from './topic-creation.ts';
import { fetchGroupMetadata, type KeyQueryMetadata, type StreamsMetadata } from './metadata.ts';
import { partitionOfKey } from './murmur2.ts';
import { taskId } from './assignment.ts';
import { CompositeReadOnlyStore } from './composite-store.ts';
import { RepartitionPurger } from './repartition-purge.ts';
import { checkKind, type QueryableStoreType } from './store-kind.ts';
import { ConnectionProbe, type BrokerConnection } from './connection.ts';
import { checkStateDir } from './state-dir.ts';
import { transactionAwareLogCreator } from './eos-commit.ts';
import type { KeyValueStore, ReadOnlyKeyValueStore } from '../state/api/store.ts';
import { CloseOnSignals } from './close-on-signals.ts';
import { installProduceEncoder } from './produce-request.ts';

const { Kafka: KafkaClient, logLevel } = kafkajs;

/** Kafka Streams' life cycle; ERROR is reached with a cause, never by a silent hang. */
export type StreamsState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'ERROR';
export type StateListener = (next: StreamsState, previous: StreamsState, error?: Error) => void;

export interface StreamsMetrics extends TaskMetrics {
  readonly state: StreamsState;
  readonly tasks: readonly string[];
  readonly restoredRecords: number;
  readonly restoreMs: number;
  /** Whether the cluster answers this instance now (see `brokerConnection()`). */
  readonly brokerConnected: boolean;
  /** Output records the production handler dropped (the broker refused them), in all and by reason. */
  readonly skippedProduction: number;
  readonly skippedProductionByReason: Readonly<{ [reason: string]: number }>;
}

/** A topic the topology reads does not exist; create it first (Kafka Streams does not create sources). */
export class MissingSourceTopicError extends StreamsError {}

/**
 * Runs a topology as one instance of an application over Kafka: a consumer group per
 * `applicationId`, one task per source partition, changelogged stores, global stores.
 */
export class KafkaStreams {
  readonly #config: ResolvedConfig;
  readonly #compiled: CompiledTopology;
  readonly #listeners = new Set<StateListener>();
  readonly #commitListeners = new Set<(taskId: string) => void>();
  readonly #kafka: Kafka;
  readonly #connection: ConnectionProbe;
  #state: StreamsState = 'CREATED';
  #error: Error | undefined;
  #admin: Admin | undefined;
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;
  #tasks: TaskManager | undefined;
  #globals: GlobalStores | undefined;
  #metadata: StreamsMetadata[] = [];
  #partitionCounts = new Map<string, number>();
  #limits: TopicLimits | undefined;
  #purger: RepartitionPurger | undefined;
  readonly #dropped: DroppedRecords = new Map();
  #timer: NodeJS.Timeout | undefined;
  #metadataTimer: NodeJS.Timeout | undefined;
  readonly #signals: CloseOnSignals | undefined;
  #assignmentChain: Promise<void> = Promise.resolve();
  /** GROUP_JOINs received: RUNNING only once the latest one's assignment is applied. */
  #joins = 0;
  #closing: Promise<void> | undefined;
  /** The timer's group-metadata read in flight: close() lets it finish before the admin goes. */
  #metadataRead: Promise<void> | undefined;

  constructor(topology: Topology, config: StreamsConfig) {
    this.#config = resolveConfig(config);
    // Processor suppliers are closures that cannot reach another thread: threads build their own topology.
    if (this.#config.numStreamThreads > 1) throw new StreamsConfigError('numStreamThreads > 1 needs ThreadedStreams.fromModule(module, config): a topology object cannot be shared by threads');
    this.#compiled = compileTopology(topologyDefinition(topology), { applicationId: this.#config.applicationId });
    // Every kafkajs producer of this thread then writes its requests in one pass (see produce-request.ts).
    installProduceEncoder();
    const level = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG }[this.#config.logLevel];
    this.#kafka = new KafkaClient({
      clientId: this.#config.clientId,
      brokers: [...this.#config.brokers],
      logLevel: level,
      logCreator: transactionAwareLogCreator,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.#connection = new ConnectionProbe({
      brokers: this.#config.brokers, clientId: this.#config.clientId, unreachableAfterMs: this.#config.brokerUnreachableAfterMs,
    });
    this.#signals = this.#config.closeOnSignals ? new CloseOnSignals(() => this.close()) : undefined;
  }

  get state(): StreamsState { return this.#state; }
  get error(): Error | undefined { return this.#error; }

  /** Whether this instance reaches the cluster now; independent of the state, which stays RUNNING through an outage. */
  brokerConnection(): BrokerConnection { return this.#connection.current; }

  onStateChange(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Called after each task's commit (its outputs acknowledged, its stores flushed), with the task
   * id, synchronously inside the commit: do little there (schedule the work).
   */
  onCommit(listener: (taskId: string) => void): () => void {
    this.#commitListeners.add(listener);
    return () => this.#commitListeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.#state !== 'CREATED') throw new StreamsError(`start() can be called once, in CREATED; the instance is ${this.#state}`);
    // Before anything connects; the instance stays CREATED, so a fixed directory can start it.
    checkStateDir(this.#config.stateDir);
    this.#transition('REBALANCING');
    this.#connection.start();
    this.#signals?.install();
    try {
      this.#admin = this.#kafka.admin();
      await this.#admin.connect();
      await this.#prepareTopics();
      // Not idempotent (that would force one request in flight for all tasks): each task awaits its
      // own sends, so a partition never has two requests in flight and retries cannot reorder it.
      this.#producer = this.#kafka.producer({ allowAutoTopicCreation: false });
      await this.#producer.connect();
      this.#globals = new GlobalStores(this.#compiled, this.#config, this.#kafka, this.#admin);
      await this.#globals.bootstrap();
      this.#tasks = new TaskManager({
        config: this.#config, compiled: this.#compiled, kafka: this.#kafka, admin: this.#admin, producer: this.#producer,
        partitionCounts: this.#partitionCounts, globalStores: this.#globals.stores, log: (m) => this.#log(m),
        limits: this.#limits!, dropped: this.#dropped,
        onCommitted: (id) => {
          for (const l of this.#commitListeners) {
            try { l(id); } catch (e) { this.#log(`commit listener threw: ${String(e)}`); }
          }
        },
      });
      const internal = new Set(this.#compiled.internalTopics);
      this.#purger = new RepartitionPurger({
        admin: this.#admin, topics: new Set(this.#compiled.sourceTopics.filter((t) => internal.has(t))),
        intervalMs: this.#config.repartitionPurgeIntervalMs, log: (m) => this.#log(m),
      });
      if (this.#compiled.subtopologies.length > 0) await this.#startConsumer(this.#tasks);
      else this.#transition('RUNNING');
      this.#timer = setInterval(() => this.#punctuate(), 100);
      // A refresh right after a rebalance can find the group rebalancing again: catch up later.
      this.#metadataTimer = setInterval(() => {
        if (this.#state !== 'RUNNING' || this.#metadataRead) return;
        this.#metadataRead = this.#refreshMetadata().catch(() => {}).finally(() => { this.#metadataRead = undefined; });
      }, 2000);
    } catch (err) {
      await this.#fail(err);
      throw this.#error;
    }
  }

  /** Finishes the batch in hand, commits, closes every task and leaves the group. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #closeOnce(): Promise<void> {
    if (this.#state === 'NOT_RUNNING') return;
    const failed = this.#state === 'ERROR';
    if (!failed) this.#transition('PENDING_SHUTDOWN');
    clearInterval(this.#timer);
    clearInterval(this.#metadataTimer);
    this.#signals?.remove();
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown> | undefined) => { try { await fn(); } catch (e) { errors.push(e); } };
    await attempt(() => this.#consumer?.disconnect());
    await attempt(() => this.#assignmentChain);
    await attempt(() => this.#tasks?.closeAll());
    await attempt(() => this.#globals?.close());
    await attempt(() => this.#purger?.idle());
    // A read cut off by the admin's disconnect is retried by kafkajs (reconnecting, for up to its
    // retry time) after close() returned; one against a dead broker is waited for 5 s at most.
    await attempt(() => this.#metadataRead && Promise.race([this.#metadataRead, new Promise((r) => setTimeout(r, 5000).unref())]));
    await attempt(() => this.#producer?.disconnect());
    await attempt(() => this.#admin?.disconnect());
    await attempt(() => this.#connection.stop());
    if (!failed) this.#transition('NOT_RUNNING');
    if (errors.length) this.#log(`close: ${errors.map(String).join('; ')}`);
  }

  /** This instance's stores named `name` (one per local task, or the global store). */
  localStores<S extends StateStore = StateStore>(name: string): S[] {
    const global = this.#globals?.stores.get(name);
    if (global) return [global as S];
    return (this.#tasks?.stores(name) ?? []) as S[];
  }

  /**
   * A read-only view over this instance's local stores named `name` (Kafka Streams' `store()`
   * with a QueryableStoreType): key-value by default; `'window'` and `'session'` for the stores
   * of windowed and session aggregations. A type that does not fit the store throws InvalidStateStoreError.
   */
  store<K, V>(name: string, type?: 'keyValue'): ReadOnlyKeyValueStore<K, V>;
  store<K, V>(name: string, type: 'window'): ReadOnlyWindowStore<K, V>;
  store<K, V>(name: string, type: 'session'): ReadOnlySessionStore<K, V>;
  store<K, V>(name: string, type: QueryableStoreType = 'keyValue'): ReadOnlyKeyValueStore<K, V> | ReadOnlyWindowStore<K, V> | ReadOnlySessionStore<K, V> {
    checkKind(name, this.localStores(name), type);
    const local = <S>() => { const found = this.localStores(name); checkKind(name, found, type); return found as unknown as S[]; };
    if (type === 'window') return new CompositeReadOnlyWindowStore<K, V>(name, () => local<WindowStore<K, V>>());
    if (type === 'session') return new CompositeReadOnlySessionStore<K, V>(name, () => local<SessionStore<K, V>>());
    return new CompositeReadOnlyStore<K, V>(name, () => local<KeyValueStore<K, V>>());
  }

  /** `store(name, 'window')`: this instance's window stores named `name` (a DSL windowed aggregation's, say). */
  windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
    return this.store<K, V>(name, 'window');
  }

  /** `store(name, 'session')`: this instance's session stores named `name`. */
  sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
    return this.store<K, V>(name, 'session');
  }

  /** Every instance of the application that advertises an `applicationServer`. */
  allMetadata(): readonly StreamsMetadata[] {
    return this.#metadata;
  }

  allMetadataForStore(storeName: string): readonly StreamsMetadata[] {
    return this.#metadata.filter((m) => m.storeNames.includes(storeName));
  }

  /** The instance holding `key` in `storeName`, found as the key's partition would route it. */
  queryMetadataForKey<K>(storeName: string, key: K, keySerde: Serde<K>): KeyQueryMetadata | undefined {
    const sub = this.#compiled.subtopologies.find((s) => s.storeNames.includes(storeName));
    if (!sub) return undefined;
    const count = Math.max(0, ...sub.sourceTopics.map((t) => this.#partitionCounts.get(t) ?? 0));
    if (count === 0) return undefined;
    const partition = partitionOfKey(keySerde.serialize(key), count);
    const owner = this.#metadata.find((m) => m.tasks.includes(taskId(sub.id, partition)));
    return owner ? { activeHost: { host: owner.host, port: owner.port }, partition } : undefined;
  }

  metrics(): StreamsMetrics {
    const m = this.#tasks?.metrics() ?? emptyMetrics();
    const byReason = Object.fromEntries(this.#dropped);
    return {
      ...m, state: this.#state, tasks: this.#tasks?.ownedTasks() ?? [], restoredRecords: this.#tasks?.restore.records ?? 0, restoreMs: this.#tasks?.restore.ms ?? 0,
      brokerConnected: this.#connection.current.status === 'connected',
      skippedProduction: Object.values(byReason).reduce((a, b) => a + b, 0), skippedProductionByReason: byReason,
    };
  }

  async #prepareTopics(): Promise<void> {
    const admin = this.#admin!;
    const internal = new Set(this.#compiled.internalTopics);
    const sources = [...this.#compiled.sourceTopics, ...this.#compiled.globalStores.map((g) => g.options.topic)].filter((t) => !internal.has(t));
    const existing = new Set(await admin.listTopics());
    const missing = sources.filter((t) => !existing.has(t));
    if (missing.length) throw new MissingSourceTopicError(`Source topics do not exist: ${missing.join(', ')}. Create them before starting the application`);
    const { topics } = await admin.fetchTopicMetadata({ topics: sources });
    for (const t of topics) this.#partitionCounts.set(t.name, t.partitions.length);
    const toCreate = [];
    // Repartition topics of the DSL: partitioned as the sub-topology that writes them reads.
    for (const [topic, partitions] of internalTopicPartitions(this.#compiled.subtopologies, [...internal], this.#partitionCounts)) {
      this.#partitionCounts.set(topic, partitions);
      if (existing.has(topic)) continue;
      const configEntries = Object.entries(repartitionConfig(this.#config.topicConfig)).map(([name, value]) => ({ name, value }));
      toCreate.push({ topic, numPartitions: partitions, configEntries });
    }
    const changelogs: string[] = [];
    for (const sub of this.#compiled.subtopologies) {
      const partitions = Math.max(...sub.sourceTopics.map((t) => this.#partitionCounts.get(t)!));
      for (const storeName of sub.storeNames) {
        const builder = this.#compiled.definition.stores.get(storeName)!.builder;
        const topic = changelogTopic(this.#config.applicationId, storeName);
        this.#partitionCounts.set(topic, partitions);
        if (builder.loggingEnabled) changelogs.push(topic);
        if (!builder.loggingEnabled || existing.has(topic)) continue;
        const configEntries = Object.entries(changelogConfig(this.#config.topicConfig, builder.logConfig)).map(([name, value]) => ({ name, value }));
        toCreate.push({ topic, numPartitions: partitions, configEntries });
      }
    }
    if (toCreate.length) {
      const replicationFactor = await ensureTopics(admin, toCreate, { replicationFactor: this.#config.replicationFactor, log: (m) => this.#log(m) });
      this.#log(`created internal topics ${toCreate.map((t) => t.topic).join(', ')} (replication factor ${replicationFactor})`);
    }
    const sinks = this.#compiled.subtopologies.flatMap((s) => s.sinkTopics).filter((t) => existing.has(t));
    if (sinks.length) {
      for (const t of (await admin.fetchTopicMetadata({ topics: sinks })).topics) this.#partitionCounts.set(t.name, t.partitions.length);
    }
    // Read now, so that no commit waits for a DescribeConfigs.
    this.#limits = new TopicLimits(admin, (m) => this.#log(m));
    await this.#limits.load([...sinks, ...changelogs]);
  }

  async #startConsumer(tasks: TaskManager): Promise<void> {
    const consumer = this.#kafka.consumer({
      groupId: this.#config.applicationId,
      partitionAssigners: [streamsAssigner(this.#compiled.subtopologies, {
        applicationServer: this.#config.applicationServer,
        ownedTasks: () => tasks.ownedTasks(),
        localTasks: () => tasks.localTasks(),
      })],
      sessionTimeout: this.#config.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.#config.sessionTimeoutMs / 5)),
      maxWaitTimeInMs: this.#config.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
      // kafkajs's default, stated: under exactly-once, aborted and open transactions are never input.
      readUncommitted: false,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.#state === 'RUNNING') this.#transition('REBALANCING');
      // kafkajs rejoins while the chain still applies an older assignment (its tasks restoring):
      // that step must not report RUNNING with tasks the group has already moved.
      const join = ++this.#joins;
      // A task that fails to open (e.g. the broker is away during restore) is retried with its next batch.
      this.#assignmentChain = this.#assignmentChain
        .then(() => tasks.assign(payload.memberAssignment).catch((err) => this.#log(`opening tasks failed, will retry: ${String(err)}`)))
        .then(() => this.#refreshMetadata().catch((err) => this.#log(`reading group metadata failed: ${String(err)}`)))
        .then(() => { if (this.#state === 'REBALANCING' && join === this.#joins) this.#transition('RUNNING'); })
        .catch((err) => this.#fail(err));
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) void this.#fail(new StreamsError(`The consumer stopped: ${payload.error.message}`, { cause: payload.error }));
      else this.#log(`consumer error, retrying: ${payload.error.message}`);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.#compiled.sourceTopics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#config.concurrency,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary }) => {
        await waitBeating(this.#assignmentChain, heartbeat);
        if (this.#state === 'ERROR' || this.#state === 'PENDING_SHUTDOWN') return;
        const records = batch.messages.map((m) => ({
          topic: batch.topic, partition: batch.partition, offset: Number(m.offset), timestamp: Number(m.timestamp),
          key: m.key ?? null, value: m.value ?? null, headers: fromKafkaHeaders(m.headers),
        }));
        try {
          await tasks.processBatch(batch.topic, batch.partition, records, {
            stillOwned: () => isRunning() && !isStale(),
            heartbeat,
            commit: async (next) => {
              resolveOffset(String(next - 1));
              // Exactly-once: the offset went to the group inside the task's transaction.
              if (this.#config.processingGuarantee === 'exactly_once_v2') return;
              // Not consumer.commitOffsets(): kafkajs drops that silently once close() has begun.
              await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(next) }] }] });
              this.#purger?.committed(batch.topic, batch.partition, next);
            },
          });
        } catch (err) {
          // Fatal: close from outside this batch (disconnect() waits for it), commit nothing more.
          if (err instanceof StreamsError) { setImmediate(() => void this.#fail(err)); return; }
          throw err;
        }
      },
    });
  }

  async #refreshMetadata(): Promise<void> {
    for (let attempt = 0; attempt < 20 && this.#closing === undefined; attempt++) {
      const metadata = await fetchGroupMetadata(this.#admin!, this.#config.applicationId, this.#compiled);
      if (metadata) { this.#metadata = metadata; return; }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  #punctuate(): void {
    if (this.#state !== 'RUNNING') return;
    this.#purger?.tick();
    this.#tasks?.punctuateAll(Date.now()).catch((err) => {
      if (err instanceof StreamsError) void this.#fail(err);
      else this.#log(`punctuation failed: ${String(err)}`);
    });
  }

  async #fail(err: unknown): Promise<void> {
    if (this.#state === 'ERROR' || this.#state === 'NOT_RUNNING') return;
    this.#error = err instanceof Error ? err : new Error(String(err));
    this.#transition('ERROR', this.#error);
    await this.close().catch(() => {});
  }

  #transition(next: StreamsState, error?: Error): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    for (const l of this.#listeners) {
      try { l(next, previous, error); } catch (e) { this.#log(`state listener threw: ${String(e)}`); }
    }
  }


  #log(message: string): void {
    if (this.#config.logLevel !== 'nothing') console.log(`[modelstream ${this.#config.applicationId}] ${message}`);
  }
}

