// The serving application's query routes, as a hono sub-app to mount on the library's query
// server: /state/instance, /state/value and /state/values over this instance and its peers;
// /models, /state/{dataType} and a rollback that every instance applies (a models-topic command).
import { Hono, type Context } from 'hono';
import { NotAttachedError } from '../../lib/query/index.ts';
import type { HostInfo } from '../../lib/index.ts';
import { NO_MODEL_STATS, type ModelServingStats } from '../api.ts';
import { readerOf, type AllInstanceStats, type InstanceInfo, type InstanceStats, type MergedStats, type ServingRoutesOptions, type ServingTarget } from './api.ts';
import { mergeLatency, percentiles, type LatencyHistogram } from '../serving/latency-histogram.ts';
import { fetchPeerStats } from './peers.ts';

export function servingRoutes(options: ServingRoutesOptions): Hono {
  const app = new Hono();
  const peerTimeoutMs = options.peerTimeoutMs ?? 2000;
  const defaultDataType = options.defaultDataType ?? 'wine';
  const target = (): ServingTarget => {
    const t = options.target();
    if (!t) throw new NotAttachedError();
    return t;
  };
  const dataTypeOf = (c: Context) => c.req.query('dataType') || defaultDataType;

  const localStats = async (t: ServingTarget, dataType: string): Promise<ModelServingStats> =>
    (await readerOf(t).stats(dataType)) ?? { ...NO_MODEL_STATS, dataType };

  const allStats = async (t: ServingTarget, dataType: string): Promise<AllInstanceStats> => {
    const me = options.self();
    const others = t.streams.allMetadata().filter((m) => !sameHost(m, me));
    const mine: InstanceStats = { host: me.host, port: me.port, self: true, status: 'ok', stats: await localStats(t, dataType) };
    const theirs = await Promise.all(others.map((peer) => fetchPeerStats({ peer, dataType, timeoutMs: peerTimeoutMs })));
    const instances = [mine, ...theirs].sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`));
    const merged = mergeInstances(mine.stats, instances);
    return { dataType, instances, ...(merged && { merged }) };
  };

  app.get('/state/instance', (c) => {
    const t = target();
    const instances: InstanceInfo[] = t.streams.allMetadata().map((m) => ({
      host: m.host,
      port: m.port,
      // The serving topology's own stores live on every instance (models reach every instance).
      storeNames: [...new Set([...m.storeNames, ...readerOf(t).storeNames])].sort(),
      partitions: m.topicPartitions.map((p) => `${p.topic}-${p.partition}`).sort(comparePartitions),
    }));
    return c.json(instances);
  });

  app.get('/state/value', async (c) => {
    const t = target();
    const dataType = dataTypeOf(c);
    if (c.req.query('all') === 'true') return c.json(await allStats(t, dataType));
    return c.json(await localStats(t, dataType));
  });

  app.get('/state/values', async (c) => c.json(await allStats(target(), dataTypeOf(c))));

  const models = (t: ServingTarget, dataType?: string) => readerOf(t).models(dataType);
  app.get('/models', async (c) => {
    const me = options.self();
    return c.json({ host: me.host, port: me.port, dataTypes: await models(target()) });
  });
  // Registered after /state/instance, /state/value and /state/values, which keep those names.
  app.get('/state/:dataType', async (c) => {
    const dataType = c.req.param('dataType');
    const view = (await models(target(), dataType))[0];
    // The same answer as any unknown path: a dataType with no model is nothing to show.
    return view ? c.json(view) : c.json({ error: 'not found', path: c.req.path }, 404);
  });
  app.post('/models/:dataType/rollback', async (c) => {
    const dataType = c.req.param('dataType');
    if (!options.commands) return c.json({ error: 'this server cannot publish commands' }, 501);
    const view = (await models(target(), dataType))[0];
    if (!view?.canRollBack) return c.json({ error: 'no previous version to roll back to', dataType }, 409);
    await options.commands({ command: 'rollback', dataType, name: '' });
    return c.json({ accepted: true, dataType, to: view.history.find((h) => h.end === 'replaced')?.name }, 202);
  });
  return app;
}

/** The instances' counts of this instance's champion, added; histograms merge by adding their buckets. */
function mergeInstances(mine: ModelServingStats, instances: readonly InstanceStats[]): MergedStats | undefined {
  if (mine.modelType === 'NONE') return undefined;
  let invocations = 0, min = 0, max = 0;
  let latency: LatencyHistogram | undefined;
  for (const i of instances) {
    if (i.status !== 'ok' || i.stats.name !== mine.name || i.stats.since !== mine.since || i.stats.invocations === 0) continue;
    min = invocations === 0 ? i.stats.min : Math.min(min, i.stats.min);
    max = Math.max(max, i.stats.max);
    invocations += i.stats.invocations;
    latency = mergeLatency(latency, i.stats.latency);
  }
  return { name: mine.name, invocations, ...percentiles(latency, { min, max }), ...(latency && { latency }) };
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
