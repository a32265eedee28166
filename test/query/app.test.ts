// The interactive-query app's own routes in process: metadata, health, metrics, JSON 404/500,
// the seam for the application's routes, and attach-after-listen on node:http.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Hono } from 'hono';
import { Counter, Registry } from 'prom-client';
import { type BrokerConnection, type KafkaStreams, type StreamsState } from '../../lib/index.ts';
import { NotAttachedError, createQueryApp, openQueryServer, type QueryableInstance } from '../../lib/query/index.ts';
import { startWordCount } from './word-count-app.ts';

// KafkaStreams is a QueryableInstance as it is: this line stops compiling if that changes.
const _kafkaStreamsIsQueryable = (s: KafkaStreams): QueryableInstance => s;

/** An instance whose state, error and broker link the test sets; it owns nothing. */
function fakeInstance(init: { state: StreamsState; error?: Error; broker?: BrokerConnection }) {
  const fake = {
    ...init,
    allMetadata: () => [],
    queryMetadataForKey: () => undefined,
    store: () => { throw new Error('no stores'); },
    metrics: () => ({ state: fake.state, tasks: ['0_0', '0_1'], processed: 42, skippedDeserialization: 3, skippedProcessing: 2, alreadyApplied: 1, restoredRecords: 7 }),
    ...(init.broker ? { brokerConnection: () => fake.broker! } : {}),
  };
  return fake;
}
const self = { host: '127.0.0.1', port: 9999 };
const get = async (app: Hono, path: string) => {
  const res = await app.request(path);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
};

test('GET /instances lists every instance with stores, partitions as "topic-partition" and self', async () => {
  const wc = await startWordCount();
  try {
    const { status, body } = await get(wc.app, '/instances');
    assert.is(status, 200);
    assert.equal(body, {
      self: { host: 'localhost', port: 0 },
      instances: [{ host: 'localhost', port: 0, self: true, storeNames: ['counts', 'lengths'], partitions: ['text-0'], tasks: ['0_0'] }],
    });
    assert.equal((await get(wc.app, '/instances/self')).body, body.instances[0]);
  } finally {
    await wc.close();
  }
});

test('/health is 200 UP on a running driver instance', async () => {
  const wc = await startWordCount();
  try {
    const { status, body } = await get(wc.app, '/health');
    assert.is(status, 200);
    assert.equal(body, { status: 'UP', state: 'RUNNING' });
  } finally {
    await wc.close();
  }
});

test('/health is 503 DOWN with the cause in ERROR, and UP again only when RUNNING', async () => {
  const fake = fakeInstance({ state: 'ERROR', error: new Error('processing failed: boom') });
  const { app } = createQueryApp({ instance: fake, self });
  const down = await get(app, '/health');
  assert.is(down.status, 503);
  assert.equal(down.body, { status: 'DOWN', state: 'ERROR', error: 'processing failed: boom' });
  fake.state = 'REBALANCING';
  delete (fake as { error?: Error }).error;
  assert.equal((await get(app, '/health')).body, { status: 'DOWN', state: 'REBALANCING' });
  fake.state = 'RUNNING';
  assert.is((await get(app, '/health')).status, 200);
});

test('/health is 503 DOWN while RUNNING but disconnected from the brokers, with the reason', async () => {
  const since = Date.UTC(2025, 0, 1);
  const fake = fakeInstance({ state: 'RUNNING', broker: { status: 'disconnected', since, reason: 'ECONNREFUSED 127.0.0.1:9092' } });
  const { app } = createQueryApp({ instance: fake, self });
  const down = await get(app, '/health');
  assert.is(down.status, 503);
  assert.is(down.body.status, 'DOWN');
  assert.equal(down.body, { status: 'DOWN', state: 'RUNNING', error: 'ECONNREFUSED 127.0.0.1:9092' });
  fake.broker = { status: 'connected', since: since + 1 };
  const up = await get(app, '/health');
  assert.is(up.status, 200);
  assert.equal(up.body, { status: 'UP', state: 'RUNNING' });
});

test('before an instance is attached: /health is 503 STARTING and store routes 503', async () => {
  const { app } = createQueryApp({ instance: () => undefined, self });
  const health = await get(app, '/health');
  assert.is(health.status, 503);
  assert.equal(health.body, { status: 'DOWN', state: 'STARTING' });
  const lookup = await get(app, '/stores/counts/keys/a');
  assert.is(lookup.status, 503);
  assert.is(lookup.body.name, 'NotAttachedError');
});

test('/metrics is Prometheus text with the engine counters, state, tasks and the broker gauge', async () => {
  const fake = fakeInstance({ state: 'RUNNING', broker: { status: 'connected', since: 1 } });
  const { app } = createQueryApp({ instance: fake, self });
  let m = await get(app, '/metrics');
  assert.is(m.status, 200);
  assert.match(m.type, /^text\/plain/);
  for (const line of [
    'modelstream_records_processed_total 42',
    'modelstream_records_skipped_total{reason="deserialization"} 3',
    'modelstream_records_skipped_total{reason="processing"} 2',
    'modelstream_records_skipped_total{reason="already_applied"} 1',
    'modelstream_records_restored_total 7',
    'modelstream_streams_state{state="RUNNING"} 1',
    'modelstream_streams_state{state="ERROR"} 0',
    'modelstream_tasks 2',
    'modelstream_broker_connected 1',
  ]) assert.ok(m.text.split('\n').includes(line), `missing "${line}"`);
  assert.match(m.text, /^process_cpu_user_seconds_total /m);
  fake.broker = { status: 'disconnected', since: 2, reason: 'gone' };
  m = await get(app, '/metrics');
  assert.ok(m.text.split('\n').includes('modelstream_broker_connected 0'));
});

test('/metrics has no broker sample for an instance that does not report its connection', async () => {
  const wc = await startWordCount();
  try {
    const m = await get(wc.app, '/metrics');
    assert.ok(m.text.split('\n').includes('modelstream_records_processed_total 2'), m.text);
    assert.not.match(m.text, /^modelstream_broker_connected /m);
  } finally {
    await wc.close();
  }
});

test('/metrics before an instance is attached: broker gauge 0, state all 0, the scrape answers', async () => {
  const { app } = createQueryApp({ instance: () => undefined, self });
  const m = await get(app, '/metrics');
  assert.is(m.status, 200);
  const lines = m.text.split('\n');
  assert.ok(lines.includes('modelstream_broker_connected 0'));
  assert.ok(lines.includes('modelstream_streams_state{state="RUNNING"} 0'));
  assert.ok(lines.includes('modelstream_tasks 0'));
});

test('/metrics serves the application\'s registry with its own metrics next to the engine\'s', async () => {
  const registry = new Registry();
  const mine = new Counter({ name: 'app_lookups_total', help: 'lookups', registers: [registry] });
  mine.inc(5);
  const result = createQueryApp({ instance: fakeInstance({ state: 'RUNNING' }), self, registry });
  assert.is(result.registry, registry);
  const m = await get(result.app, '/metrics');
  assert.ok(m.text.split('\n').includes('app_lookups_total 5'));
  assert.ok(m.text.split('\n').includes('modelstream_tasks 2'));
  assert.not.match(m.text, /^process_cpu_user_seconds_total /m, 'no process metrics forced onto a shared registry');
});

test('the `skipped` seam adds the application\'s skip reasons to modelstream_records_skipped_total', async () => {
  const { app } = createQueryApp({ instance: fakeInstance({ state: 'RUNNING' }), self, skipped: () => ({ 'null-value': 4, 'invalid-data-type': 0 }) });
  const lines = (await get(app, '/metrics')).text.split('\n');
  assert.ok(lines.includes('modelstream_records_skipped_total{reason="null-value"} 4'));
  assert.ok(lines.includes('modelstream_records_skipped_total{reason="invalid-data-type"} 0'));
  assert.ok(lines.includes('modelstream_records_skipped_total{reason="deserialization"} 3'), 'the engine\'s reasons stay');
});

test('a `skipped` seam that throws (a store closed mid-rebalance) leaves its reasons out and the scrape answers', async () => {
  const { app } = createQueryApp({ instance: fakeInstance({ state: 'RUNNING' }), self, skipped: () => { throw new Error('store closed'); } });
  const m = await get(app, '/metrics');
  assert.is(m.status, 200);
  assert.ok(m.text.split('\n').includes('modelstream_records_skipped_total{reason="processing"} 2'));
  assert.not.match(m.text, /reason="null-value"/);
});

test('`extend` gets the context: the attached instance and self; a route throwing NotAttachedError is a JSON 503', async () => {
  let attached: ReturnType<typeof fakeInstance> | undefined;
  const { app } = createQueryApp({
    instance: () => attached, self,
    extend: (a, context) => {
      a.get('/mine', (c) => {
        const instance = context.instance();
        if (!instance) throw new NotAttachedError('mine is not ready');
        return c.json({ state: instance.state, self: context.self() });
      });
    },
  });
  const before = await get(app, '/mine');
  assert.is(before.status, 503);
  assert.equal(before.body, { error: 'mine is not ready', name: 'NotAttachedError', path: '/mine' });
  attached = fakeInstance({ state: 'REBALANCING' });
  assert.equal((await get(app, '/mine')).body, { state: 'REBALANCING', self });
});

test('an unknown path is a JSON 404 naming the path', async () => {
  const { app } = createQueryApp({ instance: fakeInstance({ state: 'RUNNING' }), self });
  const r = await get(app, '/nope/at/all');
  assert.is(r.status, 404);
  assert.match(r.type, /application\/json/);
  assert.equal(r.body, { error: 'not found', path: '/nope/at/all' });
});

test('a store closed for a rebalance (InvalidStateStoreError) is a JSON 503', async () => {
  const wc = await startWordCount();
  await wc.driver.close();
  const r = await get(wc.app, '/stores/counts/keys/the');
  assert.is(r.status, 503);
  assert.is(r.body.name, 'InvalidStateStoreError');
  assert.is((await get(wc.app, '/stores/counts/entries')).status, 503);
});

test('application routes mounted through `extend` and app.route(); a failing one is a JSON 500 and the app keeps serving', async () => {
  const errors: string[] = [];
  const state = new Hono()
    .get('/instance', (c) => c.json({ mine: true }))
    .get('/broken', () => { throw new Error('the route failed'); });
  const wc = await startWordCount({ app: { extend: (app) => { app.route('/state', state); }, onError: (err) => errors.push(err.message) } });
  try {
    assert.equal((await get(wc.app, '/state/instance')).body, { mine: true });
    const broken = await get(wc.app, '/state/broken');
    assert.is(broken.status, 500);
    assert.equal(broken.body, { error: 'the route failed', name: 'Error', path: '/state/broken' });
    assert.equal(errors, ['the route failed']);
    assert.is((await get(wc.app, '/stores/counts/keys/the')).body.value, 3);
  } finally {
    await wc.close();
  }
});

test('the node:http server listens on port 0, advertises its port, serves STARTING until attach()', async () => {
  const server = await openQueryServer({ port: 0, stores: { counts: true } });
  // The instance claims the address the server got, as KafkaStreams would advertise it.
  const wc = await startWordCount({ host: server.self });
  try {
    assert.ok(server.self.port > 0);
    assert.is(server.applicationServer, `127.0.0.1:${server.self.port}`);
    const before = await fetch(`${server.url}/health`);
    assert.is(before.status, 503);
    assert.is(((await before.json()) as { state: string }).state, 'STARTING');
    server.attach(wc.instance);
    assert.is((await fetch(`${server.url}/health`)).status, 200);
    const hit = (await (await fetch(`${server.url}/stores/counts/keys/fox`)).json()) as { value: number };
    assert.is(hit.value, 2);
  } finally {
    await server.close();
    await wc.close();
  }
});

test.run();
