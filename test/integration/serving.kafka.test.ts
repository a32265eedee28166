// The kv serving topology on real Kafka: two instances of one application split 4 data
// partitions, while the model, sent once, reaches both through the global store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import type { KafkaStreams } from '../../lib/index.ts';
import { encodeModelDescriptor, encodeWineRecord } from '../../topologies/codecs/messages.ts';
import { buildKvTopology, buildServingTopology, type LocalServingTopology } from '../../topologies/index.ts';
import { kafkaBrokers, needs, realKafka } from '../requirements.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { createTopics, newInstance, waitFor } from '../runtime/fixtures.ts';
import { files, pmmlDescriptor, wineRecords } from '../topologies/fixtures.ts';

const it = needs(realKafka);
const brokers = kafkaBrokers();

async function produce(topic: string, messages: { key: string; value: Buffer }[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** kafkajs may rethrow a NOT_LEADER from ListOffsets as it is, or wrapped as non-retriable once its retries ran out. */
function leadershipPending(err: unknown): boolean {
  for (let e = err as { retriable?: boolean; type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.retriable || e.type === 'NOT_LEADER_FOR_PARTITION' || e.type === 'LEADER_NOT_AVAILABLE') return true;
  }
  return false;
}

async function countMessages(topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } catch (err) {
    // A new topic's leadership may not have reached every broker view yet (NOT_LEADER...): poll again.
    if (leadershipPending(err)) return 0;
    throw err;
  } finally {
    await admin.disconnect();
  }
}

it('two kv instances: the model reaches both, the records are split between them and all scored', async () => {
  const topics = { data: uniqueName('serving-data'), models: uniqueName('serving-models'), results: uniqueName('serving-results') };
  await createTopics(brokers, [
    { topic: topics.data, numPartitions: 4 }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 2 },
  ]);
  const applicationId = uniqueName('serving-kv');
  // One topology object per instance, as two processes would have (each its own model cache).
  const instances: { topology: LocalServingTopology; app: KafkaStreams }[] = [0, 1].map(() => {
    const topology = buildKvTopology({ topics, log: () => {} });
    return { topology, app: newInstance(topology.topology, { applicationId, brokers }) };
  });
  try {
    for (const { app } of instances) await app.start();
    await waitFor('each instance to own 2 of the 4 tasks', () =>
      instances.every(({ app }) => app.state === 'RUNNING' && app.metrics().tasks.length === 2));

    const model = pmmlDescriptor(files.tree, 'wine', 'tree', 'a decision tree (classification)');
    await produce(topics.models, [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(model)) }]);
    await waitFor('the model on both instances', () =>
      instances.every(({ topology, app }) => topology.localStats(app, 'wine')?.name === 'tree'));

    const records = wineRecords(200);
    await produce(topics.data, records.map((r, i) => ({ key: `r${i}`, value: Buffer.from(encodeWineRecord(r)) })));
    const invocations = () => instances.map(({ topology, app }) => topology.localStats(app, 'wine')?.invocations ?? 0);
    await waitFor('every record scored', () => invocations().reduce((a, b) => a + b, 0) >= records.length);

    const [first, second] = invocations();
    assert.is(first! + second!, records.length, 'each record scored once');
    assert.ok(first! > 0 && second! > 0, `both instances scored records (${first}, ${second})`);
    await waitFor('one result per record', async () => (await countMessages(topics.results)) >= records.length);
    assert.is(await countMessages(topics.results), records.length);
    for (const { topology, app } of instances) {
      const stats = topology.localStats(app, 'wine')!;
      assert.is(stats.description, 'a decision tree (classification)');
      assert.ok(stats.min > 0 && stats.max >= stats.min);
    }
  } finally {
    for (const { app } of instances) await app.close();
  }
});

for (const kind of ['naive', 'custom'] as const) {
  it(`${kind}: one instance scores every record of 2 partitions with a model sent after it started`, async () => {
    const topics = { data: uniqueName(`${kind}-data`), models: uniqueName(`${kind}-models`), results: uniqueName(`${kind}-results`) };
    await createTopics(brokers, [
      { topic: topics.data, numPartitions: 2 }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 1 },
    ]);
    const topology = buildServingTopology(kind, { topics, log: () => {} });
    const app = newInstance(topology.topology, { applicationId: uniqueName(`serving-${kind}`), brokers });
    try {
      await app.start();
      await waitFor('running', () => app.state === 'RUNNING' && app.metrics().tasks.length === 2);
      const model = pmmlDescriptor(files.linear, 'wine', 'linear', 'a linear regression');
      await produce(topics.models, [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(model)) }]);
      await waitFor('the model', () => topology.localStats(app, 'wine')?.name === 'linear');
      const records = wineRecords(50);
      await produce(topics.data, records.map((r, i) => ({ key: `r${i}`, value: Buffer.from(encodeWineRecord(r)) })));
      await waitFor('every record scored', () => (topology.localStats(app, 'wine')?.invocations ?? 0) >= records.length);
      await waitFor('one result per record', async () => (await countMessages(topics.results)) >= records.length);
      assert.is(topology.localStats(app, 'wine')?.invocations, records.length);
      assert.is(await countMessages(topics.results), records.length);
    } finally {
      await app.close();
    }
  });
}

test.run();
