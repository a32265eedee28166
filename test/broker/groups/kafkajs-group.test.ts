// kafkajs 2.2.4 consumer groups, unchanged, against the embedded broker on a free port.
// MODELSTREAM_GROUP_TEST_BROKERS=host:port runs the same assertions against another broker
// (real Apache Kafka), to check that they describe Kafka's behaviour and not only ours.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, Partitioners, type Consumer, type EachMessagePayload } from 'kafkajs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBroker, type RunningBroker } from '../../../lib/broker/server.ts';

const external = process.env.MODELSTREAM_GROUP_TEST_BROKERS?.split(',');
let broker: RunningBroker | undefined;
let brokers: string[];
let kafka: Kafka;
// Unique names, so a rerun against a long-lived external broker starts clean.
const run = external ? `-${Date.now().toString(36)}` : '';
const n = (name: string) => name + run;

test.before(async () => {
  if (!external) broker = await startBroker({ port: 0, log: (level, message) => { if (level === 'error') console.error(level, message); } });
  brokers = external ?? broker!.brokers;
  kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'group-test' });
});
test.after(async () => {
  await broker?.stop();
});

async function until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function createTopic(topic: string, numPartitions: number) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await admin.disconnect();
}

async function produce(topic: string, values: string[], partitions: number) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % partitions })) });
  await producer.disconnect();
}

interface Tracked { consumer: Consumer; seen: string[]; assigned: number[] }

async function startConsumer(groupId: string, topic: string, sessionTimeout = 10_000): Promise<Tracked> {
  const consumer = kafka.consumer({ groupId, heartbeatInterval: 200, sessionTimeout, rebalanceTimeout: 10_000, maxWaitTimeInMs: 200 });
  const t: Tracked = { consumer, seen: [], assigned: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    t.assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => { t.seen.push(message.value!.toString()); } });
  return t;
}

test('two consumers split a 4-partition topic and consume every message exactly once', async () => {
  await createTopic(n('g-split'), 4);
  const a = await startConsumer(n('split'), n('g-split'));
  const b = await startConsumer(n('split'), n('g-split'));
  try {
    await until('both consumers to own two partitions', () => a.assigned.length === 2 && b.assigned.length === 2);
    assert.equal([...a.assigned, ...b.assigned].sort(), [0, 1, 2, 3]);
    const values = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await produce(n('g-split'), values, 4);
    await until('all 40 messages', () => a.seen.length + b.seen.length >= 40);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal([...a.seen, ...b.seen].sort(), [...values].sort(), 'each message once');
    assert.ok(a.seen.length > 0 && b.seen.length > 0, 'both consumed');
  } finally {
    await Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]);
  }
});

test('a consumer leaving hands its partitions to the other', async () => {
  await createTopic(n('g-leave'), 4);
  const a = await startConsumer(n('leave'), n('g-leave'));
  const b = await startConsumer(n('leave'), n('g-leave'));
  try {
    await until('the split', () => a.assigned.length === 2 && b.assigned.length === 2);
    await b.consumer.disconnect();
    await until('a to own all partitions', () => a.assigned.length === 4);
    const values = Array.from({ length: 8 }, (_, i) => `after${i}`);
    await produce(n('g-leave'), values, 4);
    await until('a to consume what was produced on all 4 partitions', () => a.seen.length >= 8);
    assert.equal([...a.seen].sort(), [...values].sort());
  } finally {
    await a.consumer.disconnect();
  }
});

test('a consumer process killed without leaving is evicted after its session timeout; the other takes over', async () => {
  await createTopic(n('g-crash'), 4);
  const a = await startConsumer(n('crash'), n('g-crash'), 1500);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/consumer-child.ts', import.meta.url)), brokers[0]!, n('crash'), n('g-crash')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let childOut = '';
  child.stdout.on('data', (d) => (childOut += d));
  try {
    await until('the split with the child process', () => a.assigned.length === 2 && childOut.trimEnd().endsWith('assigned 2'));
    child.kill('SIGKILL');
    const killedAt = Date.now();
    await until('a to own all partitions', () => a.assigned.length === 4);
    const took = Date.now() - killedAt;
    assert.ok(took >= 1000, `not before the session timeout (took ${took} ms)`);
    await produce(n('g-crash'), ['c0', 'c1', 'c2', 'c3'], 4);
    await until('a to consume on all partitions', () => a.seen.length >= 4);
  } finally {
    child.kill('SIGKILL');
    await a.consumer.disconnect();
  }
});

test('a restarted consumer resumes after the last committed offset', async () => {
  await createTopic(n('g-resume'), 2);
  await produce(n('g-resume'), ['a0', 'a1', 'a2', 'a3'], 2);
  const first = await startConsumer(n('resume'), n('g-resume'));
  await until('the first batch', () => first.seen.length >= 4);
  await first.consumer.disconnect(); // commits what it consumed on the way out
  await produce(n('g-resume'), ['b0', 'b1', 'b2', 'b3'], 2);
  const second = await startConsumer(n('resume'), n('g-resume'));
  try {
    await until('the second batch', () => second.seen.length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal([...second.seen].sort(), ['b0', 'b1', 'b2', 'b3']);
  } finally {
    await second.consumer.disconnect();
  }
});

test('admin describes and lists the group and fetches its committed offsets', async () => {
  await createTopic(n('g-admin'), 2);
  await produce(n('g-admin'), ['x0', 'x1', 'x2'], 2); // partition 0: x0, x2; partition 1: x1
  const c = await startConsumer(n('adm'), n('g-admin'));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await until('consumption', () => c.seen.length >= 3);
    const { groups } = await admin.describeGroups([n('adm')]);
    const g = groups[0]!;
    assert.is(g.state, 'Stable');
    assert.is(g.protocolType, 'consumer');
    assert.is(g.members.length, 1);
    assert.is(g.members[0]!.clientId, 'group-test');
    assert.ok(g.members[0]!.memberAssignment.length > 0, 'the assignment bytes the leader sent');
    const listed = await admin.listGroups();
    assert.ok(listed.groups.some((x) => x.groupId === n('adm') && x.protocolType === 'consumer'));
    await c.consumer.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: n('adm'), topics: [n('g-admin')] });
    const byPartition = Object.fromEntries(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
    assert.equal(byPartition, { 0: '2', 1: '1' });
    const after = await admin.describeGroups([n('adm')]);
    assert.is(after.groups[0]!.state, 'Empty');
  } finally {
    await admin.disconnect();
  }
});

test('admin resets offsets of an empty group and a new consumer starts there', async () => {
  await createTopic(n('g-reset'), 1);
  await produce(n('g-reset'), ['r0', 'r1', 'r2'], 1);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId: n('reset'), topic: n('g-reset'), partitions: [{ partition: 0, offset: '2' }] });
    const c = await startConsumer(n('reset'), n('g-reset'));
    await until('consumption', () => c.seen.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    await c.consumer.disconnect();
    assert.equal(c.seen, ['r2']);
    await admin.deleteGroups([n('reset')]);
    assert.not.ok((await admin.listGroups()).groups.some((g) => g.groupId === n('reset')));
  } finally {
    await admin.disconnect();
  }
});

test.run();
