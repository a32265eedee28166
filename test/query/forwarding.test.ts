// Key lookups forwarded between two query servers on node:http, in process: each instance a
// word count on its own driver, with key ownership split by the key's first letter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { HostInfo } from '../../lib/index.ts';
import { FORWARDED_FROM_HEADER, SERVED_BY_HEADER, type QueryableInstance } from '../../lib/query/index.ts';
import { startWordCount } from './word-count-app.ts';

interface Node {
  readonly self: HostInfo;
  readonly url: string;
  /** Requests this node's server received, by path. */
  readonly hits: string[];
  /** Who this node believes owns a key; settable per test. */
  ownerOf: (key: string) => HostInfo;
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

/** A query node whose driver holds `text`, on a port chosen before its instance exists. */
async function startNode(lines: string[], forwardTimeoutMs = 1000): Promise<Node> {
  let listener: ReturnType<typeof getRequestListener> | undefined;
  const hits: string[] = [];
  const http = createServer((req, res) => { hits.push(req.url ?? ''); void listener!(req, res); });
  const port = await listen(http);
  const self = { host: '127.0.0.1', port };
  const node: Node = {
    self, url: `http://127.0.0.1:${port}`, hits, ownerOf: () => self,
    close: async () => {
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
      await wc.close();
    },
  };
  const wc = await startWordCount({
    lines, host: self, app: { forwardTimeoutMs },
    wrap: (instance): QueryableInstance => ({
      ...instance,
      queryMetadataForKey: (_store, key) => ({ activeHost: node.ownerOf(String(key)), partition: String(key) < 'm' ? 0 : 1 }),
    }),
  });
  listener = getRequestListener(wc.app.fetch);
  return node;
}

const fetchJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, servedBy: res.headers.get(SERVED_BY_HEADER), body: (await res.json()) as any };
};

// a holds words before "m", b the rest; each knows who owns what.
const a = await startNode(['apple banana apple']);
const b = await startNode(['pear quince pear pear']);
const split = (key: string) => (key < 'm' ? a.self : b.self);
a.ownerOf = split;
b.ownerOf = split;
test.before.each(() => { a.hits.length = 0; b.hits.length = 0; });
test.after(async () => { await a.close(); await b.close(); });

test('a key owned by the other instance is forwarded: its value, servedBy the owner, forwardedFrom this one', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/keys/pear`);
  assert.is(r.status, 200);
  assert.equal(r.body, { store: 'counts', key: 'pear', value: 3, partition: 1, servedBy: b.self, forwardedFrom: a.self });
  assert.is(r.servedBy, `127.0.0.1:${b.self.port}`);
  assert.equal(b.hits, ['/stores/counts/keys/pear']);
});

test('a key this instance owns is answered locally, without asking the other', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/keys/apple`);
  assert.equal(r.body, { store: 'counts', key: 'apple', value: 2, partition: 0, servedBy: a.self });
  assert.equal(b.hits, []);
});

test('a key missing at its owner is a 404 from the owner, with the hop visible', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/keys/zebra`);
  assert.is(r.status, 404);
  assert.equal(r.body.servedBy, b.self);
  assert.equal(r.body.forwardedFrom, a.self);
});

test('?local=true answers from this instance only: a key owned elsewhere is a 404 naming the owner', async () => {
  const r = await fetchJson(`${a.url}/stores/counts/keys/pear?local=true`);
  assert.is(r.status, 404);
  assert.equal(r.body.owner, b.self);
  assert.equal(b.hits, []);
});

test('loop guard: when each instance thinks the other owns the key, the request is forwarded once, then 503', async () => {
  a.ownerOf = () => b.self;
  b.ownerOf = () => a.self;
  try {
    const r = await fetchJson(`${a.url}/stores/counts/keys/apple-pie`);
    assert.is(r.status, 503);
    assert.is(r.body.name, 'NotOwnerError');
    assert.equal(b.hits, ['/stores/counts/keys/apple-pie']);
    assert.equal(a.hits, ['/stores/counts/keys/apple-pie'], 'b did not forward it back');
  } finally {
    a.ownerOf = split;
    b.ownerOf = split;
  }
});

test('a forwarded request is answered locally even when this instance thinks another owns the key', async () => {
  // b holds "pear"; it is told a forwarded request came, though its metadata says a owns keys.
  b.ownerOf = () => a.self;
  try {
    const res = await fetch(`${b.url}/stores/counts/keys/pear`, { headers: { [FORWARDED_FROM_HEADER]: `127.0.0.1:${a.self.port}` } });
    assert.is(res.status, 200);
    assert.is(((await res.json()) as { value: number }).value, 3);
    assert.equal(a.hits, []);
  } finally {
    b.ownerOf = split;
  }
});

test('an owner that refuses connections is a JSON 502 naming it, at once', async () => {
  const gone = createTcpServer();
  const port = await listen(gone);
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  a.ownerOf = () => ({ host: '127.0.0.1', port });
  try {
    const started = Date.now();
    const r = await fetchJson(`${a.url}/stores/counts/keys/pear`);
    assert.is(r.status, 502);
    assert.is(r.body.name, 'ForwardingError');
    assert.equal(r.body.owner, { host: '127.0.0.1', port });
    assert.match(r.body.error, /unreachable.*ECONNREFUSED/);
    assert.ok(Date.now() - started < 1000);
  } finally {
    a.ownerOf = split;
  }
});

test('an owner that accepts but never answers is a JSON 504 after the forward timeout, not a hang', async () => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((s) => { sockets.push(s); });
  const port = await listen(silent);
  a.ownerOf = () => ({ host: '127.0.0.1', port });
  try {
    const started = Date.now();
    const r = await fetchJson(`${a.url}/stores/counts/keys/pear`);
    const took = Date.now() - started;
    assert.is(r.status, 504);
    assert.match(r.body.error, /did not answer within 1000 ms/);
    assert.ok(took >= 900 && took < 3000, `took ${took} ms`);
    assert.is(sockets.length, 1);
  } finally {
    a.ownerOf = split;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test.run();
