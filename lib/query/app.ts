// The routes of the interactive-query server (DESIGN.md §4 "HTTP"), as a hono app over a target
// that may be attached after the server listens (the port must be known before KafkaStreams is
// built, since it advertises it as application.server).
import { Hono, type Context } from 'hono';
import { NO_MODEL_STATS, type ModelServingStats } from '../../topologies/api.ts';
import type { HostInfo } from '../runtime/metadata.ts';
import type { AllInstanceStats, Health, InstanceInfo, InstanceStats, QueryTarget } from './api.ts';
import { createMetricsRegistry } from './metrics.ts';
import { fetchPeerStats } from './peers.ts';

export interface QueryAppOptions {
  readonly target: () => QueryTarget | undefined;
  /** This instance as the others know it (its application.server). */
  readonly self: () => HostInfo;
  readonly peerTimeoutMs: number;
  readonly defaultDataType: string;
}

/** Thrown by a route that needs the instance before it is attached. */
class NotAttachedError extends Error {
  override readonly name = 'NotAttachedError';
}

export function createQueryApp(options: QueryAppOptions): Hono {
  const app = new Hono();
  const registry = createMetricsRegistry(options.target);
  const target = (): QueryTarget => {
    const t = options.target();
    if (!t) throw new NotAttachedError('the instance is starting; try again shortly');
    return t;
  };
  const dataTypeOf = (c: Context) => c.req.query('dataType') || options.defaultDataType;

  const localStats = (t: QueryTarget, dataType: string): ModelServingStats =>
    t.serving.localStats(t.streams, dataType) ?? { ...NO_MODEL_STATS, dataType };

  const allStats = async (t: QueryTarget, dataType: string): Promise<AllInstanceStats> => {
    const me = options.self();
    const others = t.streams.allMetadata().filter((m) => !sameHost(m, me));
    const mine: InstanceStats = { host: me.host, port: me.port, self: true, status: 'ok', stats: localStats(t, dataType) };
    const theirs = await Promise.all(others.map((peer) => fetchPeerStats({ peer, dataType, timeoutMs: options.peerTimeoutMs })));
    const instances = [mine, ...theirs].sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`));
    return { dataType, instances };
  };

  app.get('/state/instance', (c) => {
    const t = target();
    const instances: InstanceInfo[] = t.streams.allMetadata().map((m) => ({
      host: m.host,
      port: m.port,
      // The serving topology's own stores live on every instance (models reach every instance).
      storeNames: [...new Set([...m.storeNames, ...t.serving.storeNames])].sort(),
      partitions: m.topicPartitions.map((p) => `${p.topic}-${p.partition}`).sort(comparePartitions),
    }));
    return c.json(instances);
  });

  app.get('/state/value', async (c) => {
    const t = target();
    const dataType = dataTypeOf(c);
    if (c.req.query('all') === 'true') return c.json(await allStats(t, dataType));
    return c.json(localStats(t, dataType));
  });

  app.get('/state/values', async (c) => c.json(await allStats(target(), dataTypeOf(c))));

  app.get('/health', (c) => {
    const t = options.target();
    const state = t?.streams.state ?? 'STARTING';
    // RUNNING survives a broker outage (as in Kafka Streams): the connection decides too.
    const connection = t?.streams.brokerConnection();
    const error = t?.streams.error?.message ?? (connection?.status === 'disconnected' ? connection.reason : undefined);
    const up = state === 'RUNNING' && connection?.status === 'connected';
    const body: Health = { status: up ? 'UP' : 'DOWN', state, ...(error ? { error } : {}) };
    return c.json(body, up ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const text = await registry.metrics();
    return c.text(text, 200, { 'content-type': registry.contentType });
  });

  app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404));

  // A failing route answers JSON and the server goes on; a store closed mid-rebalance is 503.
  app.onError((err, c) => {
    const unavailable = err instanceof NotAttachedError || err.name === 'InvalidStateStoreError';
    return c.json({ error: err.message, name: err.name, path: c.req.path }, unavailable ? 503 : 500);
  });
  return app;
}

function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.port === b.port && normalizeHost(a.host) === normalizeHost(b.host);
}

function normalizeHost(host: string): string {
  return host === 'localhost' || host === '::1' || host === '0.0.0.0' ? '127.0.0.1' : host;
}

// "models_data-10" after "models_data-9".
function comparePartitions(a: string, b: string): number {
  const [ta, pa] = splitTopicPartition(a);
  const [tb, pb] = splitTopicPartition(b);
  return ta === tb ? pa - pb : ta.localeCompare(tb);
}

function splitTopicPartition(s: string): [string, number] {
  const i = s.lastIndexOf('-');
  return [s.slice(0, i), Number(s.slice(i + 1))];
}
