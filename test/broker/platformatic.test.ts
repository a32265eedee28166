// @platformatic/kafka 1.35.0, a maintained pure-TypeScript client whose minimum versions
// are all flexible ones (Metadata v9+, Fetch v12+, JoinGroup v6+, OffsetCommit v8+,
// CreateTopics v7, ...), against the embedded broker: admin topic and group calls, produce
// with keys and headers, a classic group of two, commit and resume, and its KIP-848 mode.
// Records are counted per group: each is read once. The versions it negotiates are checked from
// the broker's request log (KIP-848 mode: ConsumerGroupHeartbeat v1, OffsetCommit/OffsetFetch v9).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers, type Message } from '@platformatic/kafka';
import { brokerStateOf, startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { groupCoordinator } from '../../lib/broker/groups/service.ts';

let broker: RunningBroker;
let admin: Admin;
const opened: { close(force?: boolean): Promise<void> }[] = [];
const streamErrors: Error[] = [];
/** `<client id> <Api> v<version>` of every request. */
const used = new Set<string>();
const versionsOf = (clientId: string) => [...used].filter((u) => u.startsWith(`${clientId} `)).map((u) => u.slice(clientId.length + 1)).sort();

test.before(async () => {
  broker = await startBroker({
    port: 0, defaultPartitions: 1, consumerGroupHeartbeatIntervalMs: 300, logRequests: true,
    log: (_l, message, extra) => {
      const m = /^request (\w+ v\d+)$/.exec(message);
      if (m) used.add(`${(extra as { clientId?: string }).clientId} ${m[1]}`);
    },
  });
  admin = new Admin({ clientId: 'pl-admin', bootstrapBrokers: broker.brokers });
});
test.after(async () => {
  for (const c of opened.reverse()) await c.close(true).catch(() => {});
  await admin.close();
  await broker.stop();
});

function consumer(groupId: string, kip848 = false): Consumer<string, string, string, string> {
  const c = new Consumer({
    clientId: `pl-${groupId}`, groupId, bootstrapBrokers: broker.brokers, deserializers: stringDeserializers,
    ...(kip848 ? { groupProtocol: 'consumer' as const } : { sessionTimeout: 6000, heartbeatInterval: 500 }),
    maxWaitTime: 200,
  });
  opened.push(c);
  return c;
}

async function send(topic: string, values: string[], partitions = 4): Promise<void> {
  const producer = new Producer({ clientId: 'pl-producer', bootstrapBrokers: broker.brokers, serializers: stringSerializers });
  try {
    await producer.send({ messages: values.map((value, i) => ({ topic, key: `k${i}`, value, partition: i % partitions, headers: { origin: 'pl', n: String(i) } })) });
  } finally {
    await producer.close();
  }
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (streamErrors.length > 0) throw new Error(`${what}: ${streamErrors.map((e) => `${e.message} ${JSON.stringify(e)}`).join('; ')}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts consuming from the committed offsets (earliest when none), committing each record. */
async function read(c: Consumer<string, string, string, string>, topic: string, into: Message<string, string, string, string>[]) {
  const stream = await c.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  // Closing a consumer ends its stream with "Client is closed"; other errors fail the wait.
  stream.on('error', (e: Error) => { if (!/closed/i.test(e.message)) streamErrors.push(e); });
  stream.on('data', (m: Message<string, string, string, string>) => {
    into.push(m);
    void m.commit();
  });
  return stream;
}

test('admin creates a topic with 4 partitions, lists it and deletes another', async () => {
  await admin.createTopics({ topics: ['pl-in', 'pl-doomed'], partitions: 4, replicas: 1 });
  assert.is(brokerStateOf(broker).topics.get('pl-in')?.partitions.length, 4);
  assert.ok((await admin.listTopics()).includes('pl-doomed'));
  await admin.deleteTopics({ topics: ['pl-doomed'] });
  assert.is(brokerStateOf(broker).topics.get('pl-doomed'), undefined);
});

test('records produced with keys and headers come back with them', async () => {
  await send('pl-in', ['v0', 'v1', 'v2', 'v3']);
  const seen: Message<string, string, string, string>[] = [];
  const c = consumer('pl-check');
  await read(c, 'pl-in', seen);
  await until('4 records', () => seen.length >= 4);
  const byValue = new Map(seen.map((m) => [m.value, m]));
  assert.is(byValue.get('v2')!.key, 'k2');
  assert.is(byValue.get('v2')!.headers.get('origin'), 'pl');
  assert.is(byValue.get('v3')!.headers.get('n'), '3');
  await c.close(true);
});

test('a classic group of two shares the partitions and reads each record once; a restarted member resumes from the commits', async () => {
  const seen: Message<string, string, string, string>[] = [];
  const a = consumer('pl-group'), b = consumer('pl-group');
  await read(a, 'pl-in', seen);
  await read(b, 'pl-in', seen);
  await until('the 4 earlier records', () => seen.length >= 4);
  // Produce only once both hold their share: commits in flight across a rebalance may be refused (at-least-once).
  await until('a stable group of two', () => {
    const d = groupCoordinator(brokerStateOf(broker)).describe('pl-group');
    return d.state === 'Stable' && d.members.length === 2 && d.members.every((m) => m.assignment.length > 0);
  });
  await new Promise((r) => setTimeout(r, 500));
  await send('pl-in', Array.from({ length: 20 }, (_, i) => `g${i}`));
  await until('24 records', () => seen.length >= 24);
  await new Promise((r) => setTimeout(r, 300));
  const values = seen.map((m) => m.value).sort();
  assert.equal(values, [...new Set(values)], 'no record twice');
  assert.is(values.length, 24);
  await a.close(true);
  await b.close(true);
  await send('pl-in', ['after-0', 'after-1']);
  const later: Message<string, string, string, string>[] = [];
  const c = consumer('pl-group');
  await read(c, 'pl-in', later);
  await until('the 2 new records', () => later.length >= 2);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(later.map((m) => m.value).sort(), ['after-0', 'after-1'], 'only what was not committed');
  const groups = await admin.listGroups({ states: ['STABLE'] });
  assert.ok(groups.has('pl-group'), `pl-group listed as Stable: ${[...groups.keys()].join()}`);
  const classicVersions = versionsOf('pl-pl-group');
  for (const x of ['JoinGroup v9', 'SyncGroup v5', 'Fetch v17', 'Metadata v12']) assert.ok(classicVersions.includes(x), `${x} in ${classicVersions.join(', ')}`);
  const described = (await admin.describeGroups({ groups: ['pl-group'] })).get('pl-group')!;
  assert.is(described.members.size, 1);
  await c.close(true);
});

test('KIP-848 mode (groupProtocol consumer) reads every record once, and admin lists the group as a consumer group', async () => {
  const seen: Message<string, string, string, string>[] = [];
  const c = consumer('pl-848', true);
  await read(c, 'pl-in', seen);
  await until('all 26 records', () => seen.length >= 26);
  await new Promise((r) => setTimeout(r, 300));
  assert.is(new Set(seen.map((m) => m.value)).size, 26);
  assert.is(seen.length, 26);
  const v = versionsOf('pl-pl-848');
  for (const x of ['ConsumerGroupHeartbeat v1', 'OffsetCommit v9', 'OffsetFetch v9']) assert.ok(v.includes(x), `${x} in ${v.join(', ')}`);
  assert.not.ok(v.some((x) => x.startsWith('JoinGroup')), 'no classic JoinGroup');
  const listed = await admin.listGroups({ types: ['consumer'] });
  assert.is(listed.get('pl-848')?.groupType, 'consumer');
  assert.not.ok(listed.has('pl-group'), 'the classic group is filtered out');
  await c.close(true);
  await admin.deleteGroups({ groups: ['pl-848'] });
  assert.not.ok((await admin.listGroups()).has('pl-848'));
});

test.run();
