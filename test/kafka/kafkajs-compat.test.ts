// kafkajs 2.2.4 against the real broker (Apache Kafka 4.x): kafkajs speaks only pre-flexible
// protocol versions and Kafka 4.0 removed the oldest versions of several APIs (KIP-896), so
// this checks every API the runtime relies on, for real. The API versions kafkajs picked are
// printed at the end (MODELSTREAM_TEST_VERBOSE=1 shows them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import type { Consumer, RequestEvent } from 'kafkajs';
import { kafkaBrokers, needs, present, realKafka } from '../requirements.ts';
import { uniqueName } from './brokers.ts';
import { ensureTopics } from '../../lib/index.ts';

const it = needs(realKafka);
const brokers = kafkaBrokers();

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const kafka = new kafkajs.Kafka({ brokers, clientId: 'modelstream-compat', logLevel: kafkajs.logLevel.WARN });
const versionsUsed = new Map<string, Set<number>>();
// Every request kafkajs sent and got an answer to, with the version it negotiated.
const onRequest = (e: RequestEvent) => {
  const set = versionsUsed.get(e.payload.apiName) ?? new Set<number>();
  set.add(e.payload.apiVersion);
  versionsUsed.set(e.payload.apiName, set);
};
const newProducer = (options: Parameters<typeof kafka.producer>[0] = {}) => {
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner, ...options });
  producer.on(producer.events.REQUEST, onRequest);
  return producer;
};
const admin = kafka.admin();
admin.on(admin.events.REQUEST, onRequest);
const topics: string[] = [];
const consumers = new Map<string, Consumer>();
const sumHigh = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);

if (present(realKafka)) {
  test.before(async () => {
    await admin.connect();
  });

  test.after(async () => {
    for (const consumer of consumers.values()) await consumer.disconnect();
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    const table = [...versionsUsed].sort().map(([api, v]) => `${api} v${[...v].join('/')}`);
    console.log(`API versions kafkajs used: ${table.join(', ')}`);
  });
}

it('createTopics makes a compacted topic with the requested partition count', async () => {
  const topic = uniqueName('compat-compacted');
  topics.push(topic);
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
  });
  assert.is(created, true);
  await ensureTopics(admin, [{ topic }]); // leaders elected (kafkajs's waitForLeaders gives up on a busy broker)
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.is(metadata.topics[0]?.partitions.length, 3);
  const configs = await admin.describeConfigs({
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    includeSynonyms: false,
  });
  assert.is(configs.resources[0]?.configEntries[0]?.configValue, 'compact');
});

it('deleteTopics removes a topic', async () => {
  const topic = uniqueName('compat-deleted');
  await ensureTopics(admin, [{ topic }]);
  assert.ok((await admin.listTopics()).includes(topic));
  await admin.deleteTopics({ topics: [topic] });
  await waitFor('the topic to disappear', async () => !(await admin.listTopics()).includes(topic), 10_000);
});

it('a producer with acks -1 appends, and ListOffsets reports the new end offsets', async () => {
  const topic = uniqueName('compat-acks');
  topics.push(topic);
  await ensureTopics(admin, [{ topic, numPartitions: 2 }]);
  const producer = newProducer();
  await producer.connect();
  const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 }));
  const acked = await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
  assert.equal(acked.map((r) => r.errorCode), acked.map(() => 0));
  const offsets = await admin.fetchTopicOffsets(topic);
  assert.equal(offsets.map((p) => Number(p.high)).sort(), [5, 5]);
  assert.equal(offsets.map((p) => Number(p.low)), [0, 0]);
});

it('an idempotent producer appends each batch exactly once', async () => {
  const topic = uniqueName('compat-idempotent');
  topics.push(topic);
  await ensureTopics(admin, [{ topic }]);
  const producer = newProducer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let batch = 0; batch < 3; batch++) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `${batch}-${i}` })) });
  }
  await producer.disconnect();
  assert.is(await sumHigh(topic), 15);
});

it('ListOffsets by timestamp finds the first record at or after a time', async () => {
  const topic = uniqueName('compat-timestamps');
  topics.push(topic);
  await ensureTopics(admin, [{ topic }]);
  const producer = newProducer();
  await producer.connect();
  const base = Date.now() - 60_000;
  await producer.send({ topic, acks: -1, messages: [0, 1, 2, 3].map((i) => ({ value: `t${i}`, timestamp: String(base + i * 1000) })) });
  await producer.disconnect();
  const [found] = await admin.fetchTopicOffsetsByTimestamp(topic, base + 1500);
  assert.is(found?.offset, '2');
});

// A consumer group of two kafkajs members on one 4-partition topic, through a rebalance.
const groupTopic = uniqueName('compat-group');
const groupId = uniqueName('compat-group');
const assignment = new Map<string, number[]>();
const heartbeats = new Map<string, number>();
const seen = new Set<string>();
let produced = 0;

const produceMore = async (count: number) => {
  const producer = newProducer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({ key: `k${produced + i}`, value: `m${produced + i}`, partition: (produced + i) % 4 }));
  await producer.send({ topic: groupTopic, acks: -1, messages });
  produced += count;
  await producer.disconnect();
};

const startMember = async (name: string) => {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
  consumer.on(consumer.events.REQUEST, onRequest);
  consumer.on(consumer.events.GROUP_JOIN, (e) => assignment.set(name, [...(e.payload.memberAssignment[groupTopic] ?? [])].sort()));
  consumer.on(consumer.events.HEARTBEAT, () => heartbeats.set(name, (heartbeats.get(name) ?? 0) + 1));
  await consumer.connect();
  await consumer.subscribe({ topics: [groupTopic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.add(String(message.value)) });
  consumers.set(name, consumer);
};

const splitBetweenTwo = () => {
  const a = assignment.get('a') ?? [], b = assignment.get('b') ?? [];
  return a.length > 0 && b.length > 0 && [...a, ...b].sort().join() === '0,1,2,3';
};

it('two consumers in one group split the partitions between them', async () => {
  await ensureTopics(admin, [{ topic: groupTopic, numPartitions: 4 }]);
  topics.push(groupTopic);
  await produceMore(40);
  await startMember('a');
  await waitFor('member a to own all 4 partitions', () => assignment.get('a')?.length === 4);
  await startMember('b');
  await waitFor('a and b to split the 4 partitions', splitBetweenTwo);
  assert.ok(splitBetweenTwo());
});

it('the group consumes every produced message', async () => {
  await produceMore(40);
  await waitFor('all 80 messages', () => seen.size === produced);
  assert.is(seen.size, 80);
});

it('both members heartbeat', async () => {
  await waitFor('heartbeats from both members', () => (heartbeats.get('a') ?? 0) > 0 && (heartbeats.get('b') ?? 0) > 0, 5000);
  assert.ok((heartbeats.get('a') ?? 0) > 0 && (heartbeats.get('b') ?? 0) > 0);
});

it('admin.fetchOffsets returns the offsets the members committed', async () => {
  const committed = async () => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [groupTopic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  // The end of every partition, not the count sent: a non-idempotent producer may append a retried
  // batch twice (kafkajs resends a whole request when one of its partitions failed).
  const end = async () => (await admin.fetchTopicOffsets(groupTopic)).reduce((sum, p) => sum + Number(p.high), 0);
  const target = await end();
  assert.ok(target >= produced, `the topic holds at least the ${produced} records sent`);
  let last = -1;
  await waitFor('commits up to the end of every partition', async () => (last = await committed()) === target, 30_000)
    .catch((err) => { throw new Error(`${(err as Error).message} (committed ${last} of ${target})`); });
  assert.is(await committed(), target);
});

it('describeGroups shows a stable group with both members', async () => {
  const { groups } = await admin.describeGroups([groupId]);
  assert.is(groups[0]?.state, 'Stable');
  assert.is(groups[0]?.protocolType, 'consumer');
  assert.is(groups[0]?.members.length, 2);
});

it('a member that leaves hands its partitions to the other', async () => {
  await consumers.get('b')?.disconnect();
  consumers.delete('b');
  await waitFor('member a to own all 4 partitions again', () => assignment.get('a')?.length === 4);
  await produceMore(8);
  await waitFor('the messages produced after the rebalance', () => seen.size === produced);
  assert.is(seen.size, 88);
});

test.run();
