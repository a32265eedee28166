// `GET /metrics`: the instance's counters in Prometheus text format (prom-client). Values are read
// from KafkaStreams at scrape time, so nothing is counted twice; an application adds its own.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueryTarget } from './api.ts';
import type { StreamsState } from '../runtime/kafka-streams.ts';

const STATES: readonly StreamsState[] = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'ERROR'];

/** A registry of its own per server, so that several servers in one process do not collide. */
export function createMetricsRegistry(
  target: () => QueryTarget | undefined,
  appSkipped: () => Readonly<{ [reason: string]: number }> = () => ({}),
): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const metrics = () => target()?.streams.metrics();

  // A counter that mirrors a total kept elsewhere: reset, then set to the current value.
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
    collect() {
      const m = metrics();
      this.reset();
      if (!m) return;
      this.inc({ reason: 'deserialization' }, m.skippedDeserialization);
      this.inc({ reason: 'processing' }, m.skippedProcessing);
      this.inc({ reason: 'already_applied' }, m.alreadyApplied);
      // What the application skipped itself; a store closed mid-rebalance leaves it out this time.
      let own: Readonly<{ [reason: string]: number }> = {};
      try { own = appSkipped(); } catch { /* read again at the next scrape */ }
      for (const [reason, n] of Object.entries(own)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'modelstream_streams_state', help: 'KafkaStreams state of this instance (1 for the current state)',
    labelNames: ['state'], registers: [register],
    collect() {
      const current = target()?.streams.state;
      for (const state of STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'modelstream_broker_connected', help: 'Whether this instance reaches the Kafka cluster now (1) or not (0)', registers: [register],
    collect() { this.set(metrics()?.brokerConnected ? 1 : 0); },
  });
  new Gauge({
    name: 'modelstream_tasks', help: 'Tasks (source partitions) this instance owns', registers: [register],
    collect() { this.set(metrics()?.tasks.length ?? 0); },
  });

  return register;
}
