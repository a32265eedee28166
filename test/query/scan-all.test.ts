// Ranges across instances (`/stores/:store/entries?scope=all`) between two query servers on
// node:http, in process: each a word count on its own driver, each holding a disjoint share of
// the words, each listing both instances in its metadata.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Serdes, type HostInfo, type StreamsMetadata } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { FORWARDED_FROM_HEADER, createQueryApp, driverInstance, storeCodec, type QueryableInstance } from '../../lib/query/index.ts';
import { extraWord, wordCountTopology } from './word-count-app.ts';

const S = Serdes.String();
const WORDS = 120;

interface Node {
  readonly self: HostInfo;
  readonly url: string;
  /** Requests this node's server received, with the forwarded-from header if any. */
  readonly hits: { url: string; forwardedFrom: string | undefined }[];
  readonly metadata: StreamsMetadata;
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

/** Everyone the nodes list as instances of the application (a test may add one that is gone). */
const members: StreamsMetadata[] = [];

async function startNode(words: readonly string[], pageMax = 50): Promise<Node> {
  let listener: ReturnType<typeof getRequestListener> | undefined;
  const hits: Node['hits'] = [];
  const http = createServer((req, res) => {
    const header = req.headers[FORWARDED_FROM_HEADER];
    hits.push({ url: req.url ?? '', forwardedFrom: typeof header === 'string' ? header : undefined });
    void listener!(req, res);
  });
  const self = { host: '127.0.0.1', port: await listen(http) };
  const topology = wordCountTopology();
  const driver = new TopologyTestDriver(topology, { applicationId: 'scan-all' });
  const input = driver.createInputTopic('text', S, S);
  for (let i = 0; i < words.length; i += 40) await input.pipeInput(`l${i}`, words.slice(i, i + 40).join(' '));
  const own = driverInstance(driver, { topology, host: self });
  const instance: QueryableInstance = { ...own, allMetadata: () => [...members] };
  const { app } = createQueryApp({
    instance, self, forwardTimeoutMs: 800, pageLimits: { max: pageMax },
    stores: { counts: true, lengths: storeCodec<number, number>({ keySerde: Serdes.Int32(), key: (t) => Number(t) }) },
  });
  listener = getRequestListener(app.fetch);
  const metadata = own.allMetadata()[0]!;
  members.push(metadata);
  return {
    self, url: `http://127.0.0.1:${self.port}`, hits, metadata,
    close: async () => {
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
      await driver.close();
    },
  };
}

const fetchJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
};

/** Follows `next` from the first page to the last; the pages' entries, in order. */
async function allPages(url: string): Promise<{ pages: number; entries: { key: string; value: number; servedBy: HostInfo }[] }> {
  const entries = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const r = await fetchJson(cursor ? `${url}&cursor=${cursor}` : url);
    assert.is(r.status, 200, JSON.stringify(r.body));
    entries.push(...r.body.entries);
    cursor = r.body.next;
    pages++;
  } while (cursor && pages < 100);
  return { pages, entries };
}

// a holds the even words w000, w002, …, b the odd ones and a 10-letter word; "shared" is in
// both, as a global store's keys are.
const all = Array.from({ length: WORDS }, (_, i) => extraWord(i));
const LONG = 'wwwwwwwwww';
const a = await startNode([...all.filter((_, i) => i % 2 === 0), 'shared']);
const b = await startNode([...all.filter((_, i) => i % 2 === 1), 'shared', 'shared', LONG]);
const holderOf = (word: string) => (word !== LONG && Number(word.slice(1)) % 2 === 0 ? a.self : b.self);
test.before.each(() => { a.hits.length = 0; b.hits.length = 0; });
test.after(async () => { await a.close(); await b.close(); });

test('scope=all pages through both instances\' shares in key order, each key once, with the instance that holds it', async () => {
  const { pages, entries } = await allPages(`${a.url}/stores/counts/entries?scope=all&limit=25`);
  assert.equal(entries.map((e) => e.key), ['shared', ...all, LONG]);
  assert.is(pages, Math.ceil((WORDS + 2) / 25));
  for (const e of entries.slice(1)) {
    assert.equal(e.servedBy, holderOf(e.key), e.key);
    assert.is(e.value, 1);
  }
});

test('a key both instances hold is listed once, as this instance has it', async () => {
  const r = await fetchJson(`${b.url}/stores/counts/entries?scope=all&to=shared`);
  assert.equal(r.body.entries, [{ key: 'shared', value: 2, servedBy: b.self }]);
  const fromA = await fetchJson(`${a.url}/stores/counts/entries?scope=all&to=shared`);
  assert.equal(fromA.body.entries, [{ key: 'shared', value: 1, servedBy: a.self }]);
});

test('the answer reports each instance\'s part: entries given and whether it has more', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/entries?scope=all&limit=10`);
  assert.is(r.status, 200);
  assert.is(r.body.scope, 'all');
  assert.is(r.body.limit, 10);
  assert.equal(r.body.servedBy, a.self);
  assert.equal(r.body.instances, [
    { ...a.self, self: true, status: 'ok', entries: 10, more: true },
    { ...b.self, self: false, status: 'ok', entries: 10, more: true },
  ].sort((x, y) => x.port - y.port));
  assert.equal(r.body.entries.map((e: { key: string }) => e.key), ['shared', ...all.slice(0, 9)]);
  assert.type(r.body.next, 'string');
});

test('from/to bound the merged range, inclusive, and the cursor resumes it on both instances', async () => {
  const { pages, entries } = await allPages(`${b.url}/stores/counts/entries?scope=all&from=w010&to=w049&limit=7`);
  assert.equal(entries.map((e) => e.key), all.slice(10, 50));
  assert.is(pages, Math.ceil(40 / 7));
});

test('the other instance is asked once, for its local share past the same cursor, and never fans out again', async () => {
  const first = await fetchJson(`${a.url}/stores/counts/entries?scope=all&limit=5`);
  await fetchJson(`${a.url}/stores/counts/entries?scope=all&limit=5&cursor=${first.body.next}`);
  assert.is(b.hits.length, 2);
  for (const hit of b.hits) {
    assert.is(hit.forwardedFrom, `127.0.0.1:${a.self.port}`);
    assert.not.match(hit.url, /scope=/);
  }
  assert.match(b.hits[1]!.url, new RegExp(`cursor=${first.body.next}`));
  assert.is(a.hits.length, 2, 'b did not ask a back');
});

test('a custom key codec orders the merge by the serialized keys (Int32), not by their text', async () => {
  const r = await fetchJson(`${a.url}/stores/lengths/entries?scope=all`);
  // The w-words have 4 letters, "shared" 6 (both on a and b: kept once, a's), LONG 10 (only b);
  // as text "10" would come first.
  assert.equal(r.body.entries, [
    { key: 4, value: WORDS / 2, servedBy: a.self },
    { key: 6, value: 1, servedBy: a.self },
    { key: 10, value: 1, servedBy: b.self },
  ]);
});

test('an instance that refuses connections is reported failed; the page holds the others\' entries and answers 200', async () => {
  const gone = createTcpServer();
  const port = await listen(gone);
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  members.push({ ...a.metadata, host: '127.0.0.1', port });
  try {
    const { entries } = await allPages(`${a.url}/stores/counts/entries?scope=all&limit=50`);
    assert.equal(entries.map((e) => e.key), ['shared', ...all, LONG]);
    const r = await fetchJson(`${a.url}/stores/counts/entries?scope=all&limit=50`);
    const failed = r.body.instances.find((i: HostInfo) => i.port === port);
    assert.is(failed.status, 'failed');
    assert.match(failed.error, /unreachable.*ECONNREFUSED/);
    assert.equal(r.body.instances.filter((i: { status: string }) => i.status === 'ok').length, 2);
  } finally {
    members.pop();
  }
});

test('an instance that never answers is reported after the timeout, not waited for', async () => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((s) => { sockets.push(s); });
  const port = await listen(silent);
  members.push({ ...a.metadata, host: '127.0.0.1', port });
  try {
    const started = Date.now();
    const r = await fetchJson(`${b.url}/stores/counts/entries?scope=all&limit=5`);
    const took = Date.now() - started;
    assert.is(r.status, 200);
    assert.match(r.body.instances.find((i: HostInfo) => i.port === port).error, /did not answer within 800 ms/);
    assert.ok(took >= 700 && took < 3000, `took ${took} ms`);
    assert.equal(r.body.entries.map((e: { key: string }) => e.key), ['shared', ...all.slice(0, 4)]);
  } finally {
    members.pop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('an instance that cuts its pages shorter is not skipped: the page stops at its last key and resumes there', async () => {
  const few = Array.from({ length: 12 }, (_, i) => `v${String(i).padStart(3, '0')}`);
  const c = await startNode(few, 5);
  try {
    const first = await fetchJson(`${a.url}/stores/counts/entries?scope=all&limit=30`);
    assert.equal(first.body.entries.map((e: { key: string }) => e.key), ['shared', ...few.slice(0, 5)]);
    const { entries } = await allPages(`${a.url}/stores/counts/entries?scope=all&limit=30`);
    assert.equal(entries.map((e) => e.key), ['shared', ...few, ...all, LONG]);
  } finally {
    members.pop();
    await c.close();
  }
});

test('without scope (or scope=local) the page is this instance\'s share only, and nobody else is asked', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/entries?limit=50&to=w049`);
  assert.equal(r.body.entries.map((e: { key: string }) => e.key), ['shared', ...all.slice(0, 50).filter((_, i) => i % 2 === 0)]);
  assert.is(r.body.instances, undefined);
  assert.equal(b.hits, []);
});

test('an unknown scope is a JSON 400', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/entries?scope=everywhere`);
  assert.is(r.status, 400);
  assert.is(r.body.name, 'BadQueryError');
});

test.run();
