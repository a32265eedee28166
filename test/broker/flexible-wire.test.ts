// Flexible versions on the wire (KIP-482 / KIP-511) against a running embedded broker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { Reader } from '../../lib/broker/protocol/reader.ts';
import { flexibleRequestFrame, rawClient, requestFrame } from './raw-client.ts';
import { bool, carr, cat, cbytes, cstr, i16, i32, i64, i8, tags, uuid } from './handlers/golden.ts';
import { encodeBatch } from '../../lib/broker/protocol/records.ts';

let broker: RunningBroker;
const logs: string[] = [];

test.before(async () => {
  broker = await startBroker({ port: 0, log: (_level, message) => { logs.push(message); } });
});
test.after(() => broker.stop());

const hello = (name: string, version: string) => cat(cstr(name), cstr(version), tags());

test('ApiVersions v3 is answered with response header v0 and a flexible body', async () => {
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(18, 3, 41, hello('modelstream-test', '1.0')));
  const r = new Reader(await c.nextFrame());
  assert.is(r.int32(), 41, 'correlation id');
  assert.is(r.int16(), 0, 'error code right after the correlation id: no header tag buffer');
  const keys = r.compactArray((r) => { const k = { key: r.int16(), min: r.int16(), max: r.int16() }; r.taggedFields(); return k; });
  assert.equal(keys.find((k) => k.key === 18), { key: 18, min: 0, max: 5 });
  assert.is(r.int32(), 0, 'throttle time');
  r.taggedFields();
  assert.is(r.remaining, 0);
  c.close();
});

test('the client software named in ApiVersions v3 is logged once per connection', async () => {
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(18, 3, 1, hello('acme-client', '2.5.1')));
  await c.nextFrame();
  c.send(flexibleRequestFrame(18, 3, 2, hello('acme-client', '2.5.1')));
  await c.nextFrame();
  assert.is(logs.filter((l) => l.includes('client acme-client 2.5.1')).length, 1);
  c.close();
});

test('ApiVersions v3 with an invalid software name answers INVALID_REQUEST', async () => {
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(18, 3, 5, hello('-bad name', '1')));
  const r = new Reader(await c.nextFrame());
  assert.is(r.int32(), 5);
  assert.is(r.int16(), 42);
  c.close();
});

test('ApiVersions newer than v5 gets UNSUPPORTED_VERSION in v0 with our ranges (KIP-511)', async () => {
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(18, 9, 6, hello('future', '9')));
  const r = new Reader(await c.nextFrame());
  assert.is(r.int32(), 6);
  assert.is(r.int16(), 35);
  const keys = r.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
  assert.equal(keys.find((k) => k.key === 18), { key: 18, min: 0, max: 5 });
  assert.is(r.remaining, 0, 'a v0 body');
  c.close();
});

test('ApiVersions v5 naming this cluster and node answers; another cluster or node asks for a rebootstrap; one without the other is invalid', async () => {
  const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const { clusterId, brokers } = await admin.describeCluster();
  await admin.disconnect();
  const nodeId = brokers[0]!.nodeId;
  const c = await rawClient(broker.port);
  const ask = async (cluster: string | null, node: number, correlationId: number) => {
    c.send(flexibleRequestFrame(18, 5, correlationId, cat(cstr('acme'), cstr('1'), cstr(cluster), i32(node), tags())));
    const r = new Reader(await c.nextFrame());
    assert.is(r.int32(), correlationId);
    const errorCode = r.int16();
    const keys = r.compactArray((r) => { const k = r.int16(); r.int16(); r.int16(); r.taggedFields(); return k; });
    return { errorCode, keys: keys.length };
  };
  const ok = await ask(clusterId, nodeId, 20);
  assert.is(ok.errorCode, 0);
  assert.ok(ok.keys > 20, 'the ranges');
  assert.equal(await ask('another-cluster', nodeId, 21), { errorCode: 129, keys: 0 }, 'REBOOTSTRAP_REQUIRED');
  assert.equal(await ask(clusterId, nodeId + 1, 22), { errorCode: 129, keys: 0 });
  assert.equal(await ask(clusterId, -1, 23), { errorCode: 42, keys: 0 }, 'INVALID_REQUEST');
  assert.equal(await ask(null, -1, 24), { errorCode: 0, keys: ok.keys }, 'neither named: no check');
  c.close();
});

test('ApiVersions v0 still answers a non-flexible body', async () => {
  const c = await rawClient(broker.port);
  c.send(requestFrame(18, 0, 8));
  const r = new Reader(await c.nextFrame());
  assert.is(r.int32(), 8);
  assert.is(r.int16(), 0);
  assert.ok(r.array((r) => [r.int16(), r.int16(), r.int16()]).length > 10);
  assert.is(r.remaining, 0);
  c.close();
});

/** Metadata v12 for the given topic entries (id, name), no auto-creation unless asked. */
async function metadataV12(entries: [string, string | null][], autoCreate: boolean, port = broker.port) {
  const c = await rawClient(port);
  const body = cat(carr(entries.map(([id, name]) => cat(uuid(id.replace(/-/g, '')), cstr(name), tags()))), bool(autoCreate), bool(false), tags());
  c.send(flexibleRequestFrame(3, 12, 77, body));
  const r = new Reader(await c.nextFrame());
  c.close();
  assert.is(r.int32(), 77);
  r.taggedFields(); // response header v1
  r.int32();
  r.compactArray((r) => { r.int32(); r.compactString(); r.int32(); r.compactNullableString(); r.taggedFields(); });
  r.compactNullableString();
  r.int32();
  const topics = r.compactArray((r) => {
    const t = { errorCode: r.int16(), name: r.compactNullableString(), id: r.uuid(), internal: r.boolean() };
    const partitions = r.compactArray((r) => {
      const p = { errorCode: r.int16(), index: r.int32(), leader: r.int32(), epoch: r.int32() };
      r.compactArray((r) => r.int32()); r.compactArray((r) => r.int32()); r.compactArray((r) => r.int32());
      r.taggedFields();
      return p;
    });
    r.int32();
    r.taggedFields();
    return { ...t, partitions: partitions.length };
  });
  r.taggedFields();
  assert.is(r.remaining, 0);
  return topics;
}

const ZERO = '00000000-0000-0000-0000-000000000000';

test('FindCoordinator v6: group keys find us, a share-group key (type 2) is refused per key', async () => {
  const c = await rawClient(broker.port);
  const ask = async (keyType: number, correlationId: number) => {
    c.send(flexibleRequestFrame(10, 6, correlationId, cat(i8(keyType), carr([cstr('g1'), cstr('g2')]), tags())));
    const r = new Reader(await c.nextFrame());
    assert.is(r.int32(), correlationId);
    r.taggedFields(); // response header v1
    r.int32(); // throttle
    const out = r.compactArray((r) => {
      const e = { key: r.compactString(), nodeId: r.int32(), host: r.compactString(), port: r.int32(), errorCode: r.int16() };
      r.compactNullableString();
      r.taggedFields();
      return e;
    });
    r.taggedFields();
    assert.is(r.remaining, 0);
    return out;
  };
  const groups = await ask(0, 30);
  assert.equal(groups.map((g) => [g.key, g.port, g.errorCode]), [['g1', broker.port, 0], ['g2', broker.port, 0]]);
  const shares = await ask(2, 31);
  assert.equal(shares.map((g) => [g.key, g.nodeId, g.errorCode]), [['g1', -1, 42], ['g2', -1, 42]], 'INVALID_REQUEST');
  c.close();
});

test('Metadata v12 names each topic with a stable id and finds it again by id alone', async () => {
  const [created] = await metadataV12([[ZERO, 'flex-meta']], true);
  assert.is(created!.errorCode, 0);
  assert.match(created!.id, /^[0-9a-f-]{36}$/);
  assert.is.not(created!.id, ZERO);
  const [byId] = await metadataV12([[created!.id, null]], false);
  assert.equal(byId, created);
});

test('Metadata v12 answers UNKNOWN_TOPIC_ID with a null name for an id no topic has', async () => {
  const id = '11111111-2222-3333-4444-555555555555';
  const [t] = await metadataV12([[id, null]], true);
  assert.equal(t, { errorCode: 100, name: null, id, internal: false, partitions: 0 });
});

test('Fetch v13 reads a topic named by its id and answers UNKNOWN_TOPIC_ID for an unknown one', async () => {
  const [t] = await metadataV12([[ZERO, 'flex-fetch']], true);
  const unknown = '99999999-8888-7777-6666-555555555555';
  const part = cat(i32(0), i32(-1), i64(0), i32(-1), i64(-1), i32(1 << 20), tags());
  const topic = (id: string) => cat(uuid(id.replace(/-/g, '')), carr([part]), tags());
  const body = cat(i32(-1), i32(0), i32(0), i32(1 << 20), i8(0), i32(0), i32(-1), carr([topic(t!.id), topic(unknown)]), carr([]), cstr(''), tags());
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(1, 13, 9, body));
  const r = new Reader(await c.nextFrame());
  c.close();
  assert.is(r.int32(), 9);
  r.taggedFields();
  r.int32(); r.int16(); r.int32();
  const topics = r.compactArray((r) => {
    const id = r.uuid();
    const [p] = r.compactArray((r) => {
      const p = { index: r.int32(), errorCode: r.int16(), hw: r.int64() };
      r.int64(); r.int64(); r.compactNullableArray((r) => [r.int64(), r.int64(), r.taggedFields()]); r.int32(); r.compactRecords(); r.taggedFields();
      return p;
    });
    r.taggedFields();
    return { id, errorCode: p!.errorCode, hw: p!.hw };
  });
  assert.equal(topics, [{ id: t!.id, errorCode: 0, hw: 0 }, { id: unknown, errorCode: 100, hw: -1 }]);
});

test('Produce v13 appends to a topic named by its id and answers UNKNOWN_TOPIC_ID for an unknown one', async () => {
  const [t] = await metadataV12([[ZERO, 'flex-produce']], true);
  const unknown = '99999999-8888-7777-6666-444444444444';
  const batch = encodeBatch({
    baseOffset: 0, baseTimestamp: Date.now(), maxTimestamp: Date.now(), lastOffsetDelta: 0,
    records: [{ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from('v'), headers: [] }],
  });
  const topic = (id: string) => cat(uuid(id.replace(/-/g, '')), carr([cat(i32(0), cbytes(batch), tags())]), tags());
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(0, 13, 10, cat(cstr(null), i16(1), i32(5000), carr([topic(t!.id), topic(unknown)]), tags())));
  const r = new Reader(await c.nextFrame());
  c.close();
  assert.is(r.int32(), 10);
  r.taggedFields(); // response header v1
  const topics = r.compactArray((r) => {
    const id = r.uuid();
    const [p] = r.compactArray((r) => {
      const p = { index: r.int32(), errorCode: r.int16(), baseOffset: r.int64() };
      r.int64(); r.int64(); r.compactArray(() => {}); r.compactNullableString(); r.taggedFields();
      return p;
    });
    r.taggedFields();
    return { id, errorCode: p!.errorCode, baseOffset: p!.baseOffset };
  });
  r.int32();
  r.taggedFields();
  assert.is(r.remaining, 0);
  assert.equal(topics, [{ id: t!.id, errorCode: 0, baseOffset: 0 }, { id: unknown, errorCode: 100, baseOffset: -1 }]);
});

test('a topic keeps its id across a broker restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flex-ids-'));
  try {
    let b = await startBroker({ port: 0, dataDir });
    const [before] = await metadataV12([[ZERO, 'kept']], true, b.port);
    await b.stop();
    b = await startBroker({ port: 0, dataDir });
    const [after] = await metadataV12([[before!.id, null]], false, b.port);
    await b.stop();
    assert.equal(after, before);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
