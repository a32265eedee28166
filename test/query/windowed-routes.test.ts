// Window and session stores through the interactive-query app, in process on a driver: a key's
// windows in a time range, a key's sessions, every key's of one instance or of every instance
// (`?scope=all`, the peer a second app answering through `fetch`), and dropped records in /metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Serdes, SessionWindows, StreamThreadUnavailableError, StreamsBuilder, TimeWindows, type HostInfo } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { createQueryApp, driverInstance, type QueryableInstance } from '../../lib/query/index.ts';

const S = Serdes.String();

function topology() {
  const b = new StreamsBuilder();
  const input = b.stream<string, string>('clicks', { keySerde: S, valueSerde: S }).groupByKey();
  input.windowedBy(TimeWindows.ofSizeAndGrace(10, 0)).count({ storeName: 'per-10ms', retentionMs: 1000 });
  input.windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 0)).count({ storeName: 'sessions', retentionMs: 1000 });
  return b.build();
}

/** A driver fed `clicks` (key, time) behind a query app claiming `host`; `wrap` changes ownership. */
async function start(clicks: readonly [string, number][], host: HostInfo, wrap = (i: QueryableInstance) => i) {
  const t = topology();
  const driver = new TopologyTestDriver(t, { applicationId: 'clicks' });
  const input = driver.createInputTopic('clicks', S, S);
  for (const [key, time] of clicks) await input.pipeInput(key, 'x', time);
  const instance = wrap(driverInstance(driver, { topology: t, host }));
  const { app } = createQueryApp({ instance, self: host, forwardTimeoutMs: 1000 });
  return { driver, app, instance };
}

const HOST = { host: 'localhost', port: 0 };
// a: windows [0,10) ×2 and [20,30) ×1; sessions [1,4] and [22,22]; b: [10,20) ×1. The record at
// 2 comes after stream time 22 with no grace: dropped late from both aggregations.
const one = await start([['a', 1], ['a', 4], ['b', 12], ['a', 22], ['a', 2]], HOST);
test.after(() => one.driver.close());

const get = async (app: typeof one.app, path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};

test('GET /stores/:store/windows/:key lists the key\'s windows oldest first with their counts', async () => {
  const { status, body } = await get(one.app, '/stores/per-10ms/windows/a');
  assert.is(status, 200);
  assert.equal(body.windows, [{ start: 0, value: 2, timestamp: 4 }, { start: 20, value: 1, timestamp: 22 }]);
  assert.is(body.key, 'a');
  assert.is(body.partition, 0);
});

test('from and to bound the window starts, both inclusive', async () => {
  assert.equal((await get(one.app, '/stores/per-10ms/windows/a?from=1&to=20')).body.windows, [{ start: 20, value: 1, timestamp: 22 }]);
  assert.equal((await get(one.app, '/stores/per-10ms/windows/a?from=0&to=0')).body.windows, [{ start: 0, value: 2, timestamp: 4 }]);
  assert.equal((await get(one.app, '/stores/per-10ms/windows/a?from=21&to=29')).body.windows, []);
});

test('a time that is not a number, or to before from, is a JSON 400', async () => {
  assert.is((await get(one.app, '/stores/per-10ms/windows/a?from=yesterday')).status, 400);
  const r = await get(one.app, '/stores/per-10ms/windows/a?from=9&to=3');
  assert.is(r.status, 400);
  assert.is(r.body.name, 'BadQueryError');
});

test('GET /stores/:store/windows lists every key\'s windows with their ends', async () => {
  const { body } = await get(one.app, '/stores/per-10ms/windows?from=0&to=15');
  assert.equal(body.windows, [{ key: 'a', start: 0, end: 10, value: 2 }, { key: 'b', start: 10, end: 20, value: 1 }]);
});

test('GET /stores/:store/sessions/:key lists the key\'s sessions, start and end inclusive', async () => {
  const { status, body } = await get(one.app, '/stores/sessions/sessions/a');
  assert.is(status, 200);
  assert.equal(body.sessions, [{ start: 1, end: 4, value: 2 }, { start: 22, end: 22, value: 1 }]);
});

test('GET /stores/:store/sessions lists every key\'s sessions', async () => {
  const { body } = await get(one.app, '/stores/sessions/sessions');
  assert.equal(body.sessions.map((s: any) => `${s.key}@${s.start}-${s.end}=${s.value}`).sort(), ['a@1-4=2', 'a@22-22=1', 'b@12-12=1']);
});

test('a window store asked for as key-value, or as a session store, is a JSON 400 StoreTypeError', async () => {
  for (const path of ['/stores/per-10ms/keys/a', '/stores/per-10ms/sessions/a', '/stores/sessions/windows?scope=all']) {
    const { status, body } = await get(one.app, path);
    assert.is(status, 400, path);
    assert.is(body.name, 'StoreTypeError', path);
  }
});

test('/metrics counts the dropped late records by reason', async () => {
  const text = await (await one.app.request('/metrics')).text();
  // One late record, dropped by both the window and the session aggregation.
  assert.match(text, /^modelstream_records_dropped_total\{reason="late"\} 2$/m);
});

test('a key owned by another instance is forwarded there; ?scope=all merges both instances\' windows', async () => {
  let peerListener: ReturnType<typeof getRequestListener> | undefined;
  const http = createServer((req, res) => void peerListener!(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const peerHost = { host: '127.0.0.1', port: (http.address() as { port: number }).port };
  const selfHost = { host: '127.0.0.1', port: 1 };
  // "z…" keys live on the peer; both claim to hold the store.
  const split = (i: QueryableInstance, me: HostInfo): QueryableInstance => ({
    ...i,
    allMetadata: () => [me, me === peerHost ? selfHost : peerHost].map((h) => ({ ...i.allMetadata()[0]!, ...h })),
    queryMetadataForKey: (_s, key) => ({ activeHost: String(key).startsWith('z') ? peerHost : selfHost, partition: String(key).startsWith('z') ? 1 : 0 }),
  });
  const peer = await start([['z', 3], ['z', 31]], peerHost, (i) => split(i, peerHost));
  peerListener = getRequestListener(peer.app.fetch);
  const mine = await start([['a', 5]], selfHost, (i) => split(i, selfHost));
  try {
    const forwarded = await get(mine.app, '/stores/per-10ms/windows/z?from=30');
    assert.is(forwarded.status, 200);
    assert.equal(forwarded.body.windows, [{ start: 30, value: 1, timestamp: 31 }]);
    assert.equal(forwarded.body.servedBy, peerHost);
    assert.equal(forwarded.body.forwardedFrom, selfHost);
    const sessions = await get(mine.app, '/stores/sessions/sessions/z');
    assert.equal(sessions.body.sessions, [{ start: 3, end: 3, value: 1 }, { start: 31, end: 31, value: 1 }]);
    const all = await get(mine.app, '/stores/per-10ms/windows?scope=all');
    assert.equal(all.body.windows.map((w: any) => `${w.key}@${w.start}`), ['a@0', 'z@0', 'z@30']);
    assert.equal(all.body.instances.map((s: any) => s.status), ['ok', 'ok']);
  } finally {
    await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
    await peer.driver.close();
    await mine.driver.close();
  }
});

test('a stream thread that exits during a read is a 503 for a key, and scope=all reports the local share failed', async () => {
  const gone = await start([['a', 1]], HOST, (i) => ({ ...i, readWindowed: () => Promise.reject(new StreamThreadUnavailableError('stream thread 1 has exited')) }));
  try {
    const keyed = await get(gone.app, '/stores/per-10ms/windows/a');
    assert.is(keyed.status, 503);
    assert.is(keyed.body.name, 'StreamThreadUnavailableError');
    const all = await get(gone.app, '/stores/per-10ms/windows?scope=all');
    assert.is(all.status, 200);
    assert.equal(all.body.instances.map((s: any) => s.status), ['failed']);
  } finally {
    await gone.driver.close();
  }
});

test('scope=local every-key windows are sorted by key then start before the limit cuts them', async () => {
  // Threads answer their shares one after another: the entries come unsorted.
  const entries = [['b', 10], ['a', 20], ['a', 0]].map(([key, start]) => ({ key: { key, window: { start: start as number, end: (start as number) + 10 } }, value: 1 }));
  const shuffled = await start([], HOST, (i) => ({ ...i, readWindowed: async () => entries as any }));
  try {
    const { body } = await get(shuffled.app, '/stores/per-10ms/windows?limit=2');
    assert.equal(body.windows.map((w: any) => `${w.key}@${w.start}`), ['a@0', 'a@20']);
  } finally {
    await shuffled.driver.close();
  }
});

test.run();
