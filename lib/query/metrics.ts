// Engine metrics in Prometheus form, read from the instance at scrape time (nothing is counted
// twice), on a registry the application may share for its own metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { StreamsState } from '../runtime/kafka-streams.ts';
import { resolveInstance, type BrokerConnection, type InstanceSource } from './instance.ts';

const STATES: readonly StreamsState[] = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'ERROR'];

export interface EngineMetricsOptions {
  readonly instance: InstanceSource;
  /** Registers into this one (the application's); otherwise a new registry. */
  readonly registry?: Registry;
  /** Node's process metrics; default: only on a registry created here (a shared one may have them). */
  readonly processMetrics?: boolean;
  /** Records the application skipped itself, by reason: added to `modelstream_records_skipped_total`. */
  readonly skipped?: () => Readonly<{ [reason: string]: number }> | Promise<Readonly<{ [reason: string]: number }>>;
}

/** Registers the engine's metrics; names clash (prom-client throws) if done twice on one registry. */
export function registerEngineMetrics(options: EngineMetricsOptions): Registry {
  const register = options.registry ?? new Registry();
  if (options.processMetrics ?? !options.registry) collectDefaultMetrics({ register });
  const instance = () => resolveInstance(options.instance);
  const metrics = () => instance()?.metrics();

  // A counter mirroring a total kept by the engine: reset, then set to the current value.
  const mirror = (name: string, help: string, read: () => number | undefined) =>
    new Counter({
      name, help, registers: [register],
      collect() {
        const value = read();
        this.reset();
        if (value !== undefined) this.inc(value);
      },
    });
  mirror('modelstream_records_processed_total', 'Records processed by this instance\'s tasks', () => metrics()?.processed);
  mirror('modelstream_records_restored_total', 'Records restored from changelogs by this instance', () => metrics()?.restoredRecords);
  new Counter({
    name: 'modelstream_records_skipped_total',
    help: 'Records skipped: bad input (deserialization, processing) or already reflected in restored state',
    labelNames: ['reason'], registers: [register],
    async collect() {
      const m = metrics();
      // The application's own reasons; a store closed mid-rebalance leaves them out this scrape.
      let own: Readonly<{ [reason: string]: number }> = {};
      try { own = (await options.skipped?.()) ?? {}; } catch { /* read again at the next scrape */ }
      this.reset();
      if (!m) return;
      this.inc({ reason: 'deserialization' }, m.skippedDeserialization);
      this.inc({ reason: 'processing' }, m.skippedProcessing);
      this.inc({ reason: 'already_applied' }, m.alreadyApplied);
      if (m.skippedProduction !== undefined) this.inc({ reason: 'production' }, m.skippedProduction);
      for (const [reason, n] of Object.entries(own)) this.inc({ reason }, n);
    },
  });
  // Kafka Streams' dropped-records sensor, with the reason it does not break out.
  new Counter({
    name: 'modelstream_records_dropped_total',
    help: 'Records DSL operators dropped on purpose: late past a window\'s grace, null keys or values',
    labelNames: ['reason'], registers: [register],
    collect() {
      const byReason = metrics()?.droppedRecordsByReason;
      this.reset();
      for (const [reason, n] of Object.entries(byReason ?? {})) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'modelstream_streams_state', help: 'KafkaStreams state of this instance (1 for the current state)',
    labelNames: ['state'], registers: [register],
    collect() {
      const current = instance()?.state;
      for (const state of STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'modelstream_tasks', help: 'Tasks (source partitions) this instance owns', registers: [register],
    collect() { this.set(metrics()?.tasks.length ?? 0); },
  });
  // Several stream threads: each thread's share, labelled by its index (absent with one thread).
  new Counter({
    name: 'modelstream_thread_records_processed_total', help: 'Records processed by each stream thread of this instance',
    labelNames: ['thread'], registers: [register],
    collect() {
      this.reset();
      for (const t of metrics()?.threads ?? []) this.inc({ thread: t.thread }, t.processed);
    },
  });
  new Gauge({
    name: 'modelstream_thread_tasks', help: 'Tasks each stream thread of this instance owns',
    labelNames: ['thread'], registers: [register],
    collect() {
      this.reset();
      for (const t of metrics()?.threads ?? []) this.set({ thread: t.thread }, t.tasks.length);
    },
  });
  new Gauge({
    name: 'modelstream_thread_running', help: 'Whether each stream thread of this instance is RUNNING (1) or not (0)',
    labelNames: ['thread'], registers: [register],
    collect() {
      this.reset();
      for (const t of metrics()?.threads ?? []) this.set({ thread: t.thread }, t.state === 'RUNNING' ? 1 : 0);
    },
  });
  // Not attached yet: 0, as not connected; attached but not reporting it (a test driver): no sample.
  new ConnectionGauge(() => {
    const found = instance();
    return found ? found.brokerConnection?.() : 'not-attached';
  }, register);
  return register;
}

/** 1 connected, 0 not; no sample at all when the instance does not report its connection. */
class ConnectionGauge extends Gauge {
  constructor(private readonly read: () => BrokerConnection | 'not-attached' | undefined, register: Registry) {
    super({
      name: 'modelstream_broker_connected', registers: [register],
      help: 'Whether this instance is connected to the brokers (1) or not (0); absent when the instance does not report it',
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const connection = this.read();
    this.set(typeof connection === 'object' && connection.status === 'connected' ? 1 : 0);
    const metric = await super.get();
    return connection ? metric : { ...metric, values: [] };
  }
}
