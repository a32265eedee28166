// Key lookups across two KafkaStreams instances of one application, each behind its own query
// server: on real Kafka and on the embedded broker. Ownership comes from the group's metadata.
import * as assert from 'uvu/assert';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { Serdes, type HostInfo, type KafkaStreams } from '../../lib/index.ts';
import { openQueryServer, storeCodec, type QueryServer } from '../../lib/query/index.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { countTopology, createTopics, newInstance, produceKeys, waitFor } from '../runtime/fixtures.ts';
import { uniqueName } from '../kafka/brokers.ts';

const KEYS = 20;
const PER_KEY = 3;
const FORWARD_TIMEOUT_MS = 1500;

interface Member { streams: KafkaStreams; server: QueryServer }

const fetchJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
};

forEachBroker('test/query/forwarding.kafka.test.ts', (test, brokers) => {
  const members: Member[] = [];
  let owned: { a: string; b: string };
  const input = uniqueName('fwd-in');

  test.before(async () => {
    const output = uniqueName('fwd-out');
    const applicationId = uniqueName('fwd-app');
    await createTopics(brokers(), [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    for (let i = 0; i < 2; i++) {
      // The port is known before KafkaStreams is built: it is advertised as applicationServer.
      const server = await openQueryServer({ port: 0, forwardTimeoutMs: FORWARD_TIMEOUT_MS, stores: { counts: storeCodec({ keySerde: Serdes.String() }) } });
      const streams = newInstance(countTopology(input, output, 'counts', false), { applicationId, brokers: brokers(), applicationServer: server.applicationServer });
      server.attach(streams);
      members.push({ streams, server });
    }
    // Started together, they join the group's first generation together (one rebalance, not two).
    await Promise.all(members.map((m) => m.streams.start()));
    await waitFor('both instances RUNNING, one task each, each knowing both', () =>
      members.every((m) => m.streams.state === 'RUNNING' && m.streams.metrics().tasks.length === 1 && m.streams.allMetadata().length === 2));
    await produceKeys(brokers(), input, KEYS, PER_KEY);
    const counted = () => members.reduce((n, m) => n + [...m.streams.store<string, number>('counts').all()].reduce((s, kv) => s + kv.value, 0), 0);
    await waitFor(`${KEYS * PER_KEY} records counted`, () => counted() === KEYS * PER_KEY);
    const [a, b] = members as [Member, Member];
    const keys = Array.from({ length: KEYS }, (_, k) => `key-${k}`);
    const ownerOf = (key: string) => a.streams.queryMetadataForKey('counts', key, Serdes.String())!.activeHost;
    const is = (m: Member) => (h: HostInfo) => h.port === m.server.self.port;
    owned = { a: keys.find((k) => is(a)(ownerOf(k)))!, b: keys.find((k) => is(b)(ownerOf(k)))! };
    assert.ok(owned.a && owned.b, 'each instance owns some of the keys');
  });

  test.after(async () => {
    await Promise.all(members.map(async (m) => {
      await m.server.close();
      await m.streams.close();
    }));
  });

  test('GET /instances on either instance lists both, itself marked self, with a source partition each', async () => {
    for (const m of members) {
      const { body } = await fetchJson(`${m.server.url}/instances`);
      assert.equal(body.instances.map((i: HostInfo) => i.port).sort(), members.map((x) => x.server.self.port).sort());
      assert.is(body.instances.filter((i: { self: boolean }) => i.self).length, 1);
      // The source topic's partitions, one per instance.
      assert.equal(body.instances.map((i: { partitions: string[] }) => i.partitions.length), [1, 1]);
      assert.equal(body.instances.flatMap((i: { partitions: string[] }) => i.partitions).sort(), [`${input}-0`, `${input}-1`]);
    }
  });

  test('asking A for a key B owns answers B\'s value, servedBy B, forwardedFrom A', async () => {
    const [a, b] = members as [Member, Member];
    const { status, body } = await fetchJson(`${a.server.url}/stores/counts/keys/${owned.b}`);
    assert.is(status, 200);
    assert.is(body.value, PER_KEY);
    assert.is(body.value, b.streams.store<string, number>('counts').get(owned.b));
    assert.is(a.streams.store<string, number>('counts').get(owned.b), undefined, 'A does not hold it');
    assert.equal(body.servedBy, b.server.self);
    assert.equal(body.forwardedFrom, a.server.self);
  });

  test('asking A for a key A owns is answered by A, with no hop', async () => {
    const [a] = members as [Member, Member];
    const { status, body } = await fetchJson(`${a.server.url}/stores/counts/keys/${owned.a}`);
    assert.is(status, 200);
    assert.is(body.value, PER_KEY);
    assert.equal(body.servedBy, a.server.self);
    assert.is(body.forwardedFrom, undefined);
  });

  test('every key is found with its count through either instance', async () => {
    for (const m of members) {
      for (let k = 0; k < KEYS; k++) assert.is((await fetchJson(`${m.server.url}/stores/counts/keys/key-${k}`)).body.value, PER_KEY);
    }
  });

  test('B\'s query server down: A answers 502 at once for B\'s key, then 504 when B\'s port accepts but never answers', async () => {
    const [a, b] = members as [Member, Member];
    await b.server.close();
    let started = Date.now();
    const refused = await fetchJson(`${a.server.url}/stores/counts/keys/${owned.b}`);
    assert.is(refused.status, 502);
    assert.is(refused.body.name, 'ForwardingError');
    assert.equal(refused.body.owner, b.server.self);
    assert.ok(Date.now() - started < FORWARD_TIMEOUT_MS);
    // A's own keys are not affected.
    assert.is((await fetchJson(`${a.server.url}/stores/counts/keys/${owned.a}`)).status, 200);

    const sockets: Socket[] = [];
    const silent = createTcpServer((s) => { sockets.push(s); });
    await new Promise<void>((resolve) => silent.listen(b.server.self.port, '127.0.0.1', () => resolve()));
    try {
      started = Date.now();
      const silentAnswer = await fetchJson(`${a.server.url}/stores/counts/keys/${owned.b}`);
      const took = Date.now() - started;
      assert.is(silentAnswer.status, 504);
      assert.ok(took >= FORWARD_TIMEOUT_MS - 100 && took < FORWARD_TIMEOUT_MS + 2000, `took ${took} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
