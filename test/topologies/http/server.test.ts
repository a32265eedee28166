// The query server over a real KafkaStreams on the embedded broker (in process), with a small
// serving topology of our own (fake-serving.ts). Two instances of one application.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import kafkajs from 'kafkajs';
import type { KafkaStreams } from '../../../lib/index.ts';
import { startBroker, type RunningBroker } from '../../../lib/broker/index.ts';
import { QueryServerListenError } from '../../../lib/query/index.ts';
import { openServingServer, startServingServer, type ServingServer as QueryServer } from '../../../topologies/http/server.ts';
import { STATS_REUSE_MS, type AllInstanceStats, type InstanceInfo } from '../../../topologies/http/api.ts';
import type { ModelServingStats } from '../../../topologies/api.ts';
import { fakeServing, newStreams, waitFor, type FakeServing } from './fake-serving.ts';

const TOPIC = 'q-data';
const WINE = 30;
const BEER = 10;

let broker: RunningBroker;
const instances: { streams: KafkaStreams; server: QueryServer; serving: FakeServing }[] = [];

async function startInstance(): Promise<{ streams: KafkaStreams; server: QueryServer; serving: FakeServing }> {
  const server = await openServingServer({ port: 0, peerTimeoutMs: 1000 });
  const serving = fakeServing(TOPIC);
  const streams = newStreams(serving.topology, { applicationId: 'query-test', brokers: broker.brokers, applicationServer: `127.0.0.1:${server.port}` });
  server.attach({ streams, serving });
  await streams.start();
  const instance = { streams, server, serving };
  instances.push(instance);
  return instance;
}

const get = async (server: QueryServer, path: string) => {
  const res = await fetch(server.url + path);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const getJson = async <T>(server: QueryServer, path: string) => {
  const r = await get(server, path);
  return { status: r.status, body: JSON.parse(r.text) as T };
};
const totalInvocations = async (dataType: string) => {
  let sum = 0;
  for (const i of instances) sum += (await getJson<ModelServingStats>(i.server, `/state/value?dataType=${dataType}`)).body.invocations;
  return sum;
};

test.before(async () => {
  broker = await startBroker({ port: 0 });
  const admin = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const a = await startInstance();
  const b = await startInstance();
  await waitFor('both instances RUNNING and known to each other', () =>
    [a, b].every((i) => i.streams.state === 'RUNNING' && i.streams.allMetadata().length === 2 && i.streams.metrics().tasks.length === 1));
  const producer = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  const messages = [
    ...Array.from({ length: WINE }, (_, i) => ({ key: `k${i}`, value: 'wine' })),
    ...Array.from({ length: BEER }, (_, i) => ({ key: `b${i}`, value: 'beer' })),
  ];
  await producer.send({ topic: TOPIC, messages });
  await producer.disconnect();
  await waitFor('every record scored', async () => (await totalInvocations('wine')) === WINE && (await totalInvocations('beer')) === BEER);
});

test.after(async () => {
  for (const i of instances) {
    await i.server.close();
    await i.streams.close();
  }
  await broker.stop();
});

test('GET /state/instance lists both instances with their partitions as "topic-partition" and their stores', async () => {
  const [a, b] = instances;
  const { status, body } = await getJson<InstanceInfo[]>(a!.server, '/state/instance');
  assert.is(status, 200);
  assert.equal(body.map((i) => i.port).sort(), [a!.server.port, b!.server.port].sort());
  assert.equal(body.flatMap((i) => i.partitions).sort(), [`${TOPIC}-0`, `${TOPIC}-1`]);
  for (const i of body) {
    assert.is(i.host, '127.0.0.1');
    assert.equal(i.storeNames, ['models', 'seen']);
  }
});

test('GET /state/value gives this instance\'s statistics for wine by default', async () => {
  const [a] = instances;
  const { status, body } = await getJson<ModelServingStats>(a!.server, '/state/value');
  assert.is(status, 200);
  assert.is(body.dataType, 'wine');
  const expected = a!.serving.localStats(a!.streams, 'wine');
  assert.ok(expected && expected.invocations > 0, 'instance a scored wine records');
  assert.equal(body, expected);
});

test('GET /state/value?dataType=… without a model gives the empty statistics named "None" for that dataType', async () => {
  const [a] = instances;
  const { status, body } = await getJson<ModelServingStats>(a!.server, '/state/value?dataType=cider');
  assert.is(status, 200);
  assert.equal(body, { name: 'None', description: '', dataType: 'cider', modelType: 'NONE', since: 0, invocations: 0, duration: 0, min: 0, max: 0 });
});

test('GET /state/values gathers every instance\'s statistics; they add up to every record, their histograms merged', async () => {
  const [a, b] = instances;
  const { status, body } = await getJson<AllInstanceStats>(b!.server, '/state/values?dataType=beer');
  assert.is(status, 200);
  assert.is(body.dataType, 'beer');
  assert.equal(body.instances.map((i) => i.port).sort(), [a!.server.port, b!.server.port].sort());
  assert.equal(body.instances.filter((i) => i.self).map((i) => i.port), [b!.server.port]);
  let sum = 0;
  for (const i of body.instances) {
    assert.is(i.status, 'ok');
    if (i.status === 'ok') sum += i.stats.invocations;
  }
  assert.is(sum, BEER);
  // The instances' latency histograms merged: every record counted once, its percentiles read off.
  assert.is(body.merged?.invocations, BEER);
  assert.is(Object.values(body.merged?.latency ?? {}).reduce((x, y) => x + y, 0), BEER);
  assert.is(body.merged?.p99, 0.25);
});

test('GET /state/value?all=true is the same gathering as /state/values', async () => {
  const [a] = instances;
  const viaAll = await getJson<AllInstanceStats>(a!.server, '/state/value?all=true');
  const viaValues = await getJson<AllInstanceStats>(a!.server, '/state/values');
  assert.is(viaAll.status, 200);
  assert.equal(viaAll.body.instances.map((i) => [i.port, i.status]), viaValues.body.instances.map((i) => [i.port, i.status]));
});

test('GET /health is 200 UP while RUNNING', async () => {
  const [a] = instances;
  const { status, body } = await getJson<{ status: string; state: string }>(a!.server, '/health');
  assert.is(status, 200);
  assert.equal(body, { status: 'UP', state: 'RUNNING' });
});

test('GET /metrics is Prometheus text with processed records, state and per-dataType invocations', async () => {
  const [a] = instances;
  const r = await get(a!.server, '/metrics');
  assert.is(r.status, 200);
  assert.match(r.type, /^text\/plain; version=0\.0\.4/);
  const samples = r.text.split('\n').filter((l) => l && !l.startsWith('#'));
  for (const line of samples) assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/, `sample line: ${line}`);
  const value = (name: string) => Number(samples.find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))?.split(' ').at(-1));
  assert.is(value('modelstream_records_processed_total'), a!.streams.metrics().processed);
  assert.ok(samples.includes('modelstream_streams_state{state="RUNNING"} 1'));
  assert.ok(samples.includes('modelstream_streams_state{state="ERROR"} 0'));
  const wine = a!.serving.localStats(a!.streams, 'wine');
  if (wine) {
    assert.ok(samples.includes(`modelstream_model_invocations_total{dataType="wine",model="model-wine",modelType="PMML"} ${wine.invocations}`));
    assert.ok(samples.some((l) => l.startsWith('modelstream_model_scoring_seconds_total{dataType="wine"')));
  }
  assert.match(r.text, /# TYPE modelstream_records_skipped_total counter/);
  assert.match(r.text, /# TYPE process_cpu_seconds_total counter/);
});

test('an unknown path is a JSON 404 naming the path', async () => {
  const [a] = instances;
  const { status, body } = await getJson<{ error: string; path: string }>(a!.server, '/state/nope?x=1');
  assert.is(status, 404);
  assert.equal(body, { error: 'not found', path: '/state/nope' });
});

test('a failing route answers JSON 500 and the server keeps serving', async () => {
  const [a] = instances;
  // Statistics read in the last STATS_REUSE_MS are answered again without reading the stores.
  await new Promise((r) => setTimeout(r, STATS_REUSE_MS + 20));
  a!.serving.failNext = true;
  const failed = await getJson<{ error: string }>(a!.server, '/state/value');
  assert.is(failed.status, 500);
  assert.is(failed.body.error, 'stats are not readable right now');
  assert.is((await get(a!.server, '/state/value')).status, 200);
});

test('before an instance is attached, /health is 503 STARTING and /state/value 503', async () => {
  const server = await openServingServer({ port: 0 });
  try {
    const health = await getJson<{ status: string; state: string }>(server, '/health');
    assert.is(health.status, 503);
    assert.equal(health.body, { status: 'DOWN', state: 'STARTING' });
    assert.is((await get(server, '/state/value')).status, 503);
  } finally {
    await server.close();
  }
});

test('a taken port is a QueryServerListenError naming the address', async () => {
  const [a] = instances;
  try {
    await openServingServer({ port: a!.server.port });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, QueryServerListenError);
    assert.match((err as Error).message, `127.0.0.1:${a!.server.port}`);
  }
});

// Runs last: it stops instance b's HTTP server (its streams keep running, so b stays in the group).
test('GET /state/values reports an instance whose server does not answer, and still answers 200', async () => {
  const [a, b] = instances;
  await b!.server.close();
  const { status, body } = await getJson<AllInstanceStats>(a!.server, '/state/values');
  assert.is(status, 200);
  const gone = body.instances.find((i) => i.port === b!.server.port);
  assert.ok(gone);
  assert.is(gone.status, 'unreachable');
  if (gone.status === 'unreachable') assert.match(gone.error, /ECONNREFUSED/);
  assert.is(body.instances.find((i) => i.self)?.status, 'ok');
});

test('a peer that never answers is reported after the timeout', async () => {
  // A TCP server that accepts and stays silent, advertised as a third instance's address.
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as { port: number }).port;
  const { fetchPeerStats } = await import('../../../topologies/http/peers.ts');
  const started = Date.now();
  const r = await fetchPeerStats({ peer: { host: '127.0.0.1', port }, dataType: 'wine', timeoutMs: 300 });
  silent.close();
  assert.is(r.status, 'unreachable');
  if (r.status === 'unreachable') assert.match(r.error, /no answer within 300 ms/);
  assert.ok(Date.now() - started < 3000);
});

test('startServingServer listens and serves at once', async () => {
  const [a] = instances;
  const server = await startServingServer({ streams: a!.streams, serving: a!.serving, port: 0 });
  try {
    assert.is((await get(server, '/health')).status, 200);
  } finally {
    await server.close();
  }
});

test.run();
