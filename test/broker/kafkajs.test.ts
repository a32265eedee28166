// kafkajs 2.2.4, unchanged, against the embedded broker on a free port.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { connectKafkajsBroker, type KafkajsBroker } from './kafkajs-broker.ts';

let broker: RunningBroker;
let kafka: Kafka;
let raw: KafkajsBroker;

test.before(async () => {
  broker = await startBroker({ port: 0, log: (level, message) => { if (level !== 'info') console.error(level, message); } });
  kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING, clientId: 'broker-test' });
  raw = await connectKafkajsBroker(broker.host, broker.port);
});
test.after(async () => {
  await raw.disconnect();
  await broker.stop();
});

const producer = (opts: { idempotent?: boolean } = {}) =>
  kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...opts });

async function fetchAll(topic: string, partition = 0, fetchOffset = '0') {
  const res = await raw.fetch({ maxWaitTime: 10, topics: [{ topic, partitions: [{ partition, fetchOffset, maxBytes: 1 << 20 }] }] });
  return res.responses[0]!.partitions[0]!;
}

test('admin creates, lists and deletes topics', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    assert.ok(await admin.createTopics({ topics: [{ topic: 'adm-a', numPartitions: 3 }, { topic: 'adm-b' }] }));
    assert.equal((await admin.listTopics()).filter((t) => t.startsWith('adm-')).sort(), ['adm-a', 'adm-b']);
    const meta = await admin.fetchTopicMetadata({ topics: ['adm-a'] });
    assert.is(meta.topics[0]!.partitions.length, 3);
    assert.is(await admin.createTopics({ topics: [{ topic: 'adm-a' }] }), false, 'second create reports not created');
    await admin.deleteTopics({ topics: ['adm-a'] });
    assert.equal((await admin.listTopics()).filter((t) => t.startsWith('adm-')), ['adm-b']);
  } finally {
    await admin.disconnect();
  }
});

test('createPartitions grows a topic and describeConfigs shows its cleanup.policy', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'cfg', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'cfg', count: 4 }] });
    const meta = await admin.fetchTopicMetadata({ topics: ['cfg'] });
    assert.is(meta.topics[0]!.partitions.length, 4);
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'cfg', configNames: ['cleanup.policy'] }] });
    assert.equal(cfg.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]), [['cleanup.policy', 'compact']]);
  } finally {
    await admin.disconnect();
  }
});

test('alterConfigs turns a topic into a compacted one', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'alter' }] });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'alter', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'alter', configNames: ['cleanup.policy'] }] });
    assert.is(cfg.resources[0]!.configEntries[0]!.configValue, 'compact');
  } finally {
    await admin.disconnect();
  }
});

for (const acks of [0, 1, -1]) {
  test(`produce with acks=${acks} appends records that fetch returns`, async () => {
    const topic = `acks${acks === -1 ? 'all' : acks}`;
    const p = producer();
    await p.connect();
    try {
      await p.send({ topic, acks, messages: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v2', headers: { h: 'x' } }] });
      // acks=0 gets no response: poll until the records are visible.
      let part = await fetchAll(topic);
      for (let i = 0; i < 50 && part.messages.length < 2; i++) part = await fetchAll(topic);
      assert.equal(part.messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString()]), [['0', 'k1', 'v1'], ['1', 'k2', 'v2']]);
      assert.is(part.messages[1]!.headers.h!.toString(), 'x');
    } finally {
      await p.disconnect();
    }
  });
}

test('gzip batches are stored and served back intact', async () => {
  const p = producer();
  await p.connect();
  try {
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: `value-${i}`.repeat(10) }));
    await p.send({ topic: 'gz', compression: CompressionTypes.GZIP, messages });
    const part = await fetchAll('gz');
    assert.is(part.messages.length, 100);
    assert.is(part.messages[99]!.value!.toString(), 'value-99'.repeat(10));
    assert.is(part.highWatermark, '100');
  } finally {
    await p.disconnect();
  }
});

test('idempotent producer gets consecutive offsets across sends', async () => {
  const p = producer({ idempotent: true });
  await p.connect();
  try {
    for (let i = 0; i < 5; i++) await p.send({ topic: 'idem', messages: [{ value: `m${i}` }, { value: `n${i}` }] });
    const part = await fetchAll('idem');
    assert.equal(part.messages.map((m) => m.value!.toString()), ['m0', 'n0', 'm1', 'n1', 'm2', 'n2', 'm3', 'n3', 'm4', 'n4']);
  } finally {
    await p.disconnect();
  }
});

test('admin.fetchTopicOffsets and fetchTopicOffsetsByTimestamp use ListOffsets', async () => {
  const p = producer();
  await p.connect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await p.send({ topic: 'lo', messages: [{ value: 'a', timestamp: '1000' }, { value: 'b', timestamp: '2000' }, { value: 'c', timestamp: '3000' }] });
    const [o] = await admin.fetchTopicOffsets('lo');
    assert.equal([o!.low, o!.high], ['0', '3']);
    const [t] = await admin.fetchTopicOffsetsByTimestamp('lo', 1500);
    assert.is(t!.offset, '1');
  } finally {
    await admin.disconnect();
    await p.disconnect();
  }
});

test('deleteTopicRecords moves the log start: earliest offset follows, older offsets are out of range', async () => {
  const p = producer();
  await p.connect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let i = 0; i < 3; i++) await p.send({ topic: 'dr', messages: [{ value: `a${i}` }, { value: `b${i}` }] });
    await admin.fetchTopicMetadata({ topics: ['dr'] }); // kafkajs's admin needs the topic's metadata cached first
    await admin.deleteTopicRecords({ topic: 'dr', partitions: [{ partition: 0, offset: '2' }] });
    const [o] = await admin.fetchTopicOffsets('dr');
    assert.equal([o!.low, o!.high], ['2', '6']);
    const part = await fetchAll('dr', 0, '2');
    assert.equal(part.messages.map((m) => m.value!.toString()), ['a1', 'b1', 'a2', 'b2']);
    const below = await raw.fetch({ maxWaitTime: 10, topics: [{ topic: 'dr', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] })
      .then(() => 'answered', (err: { type?: string }) => err.type);
    assert.is(below, 'OFFSET_OUT_OF_RANGE');
  } finally {
    await admin.disconnect();
    await p.disconnect();
  }
});

test('a long-polling fetch over several partitions is woken by a produce', async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'lp', numPartitions: 3 }] });
  await admin.disconnect();
  const p = producer();
  await p.connect();
  try {
    const started = Date.now();
    const pending = raw.fetch({
      maxWaitTime: 5000, minBytes: 1,
      topics: [{ topic: 'lp', partitions: [0, 1, 2].map((partition) => ({ partition, fetchOffset: '0', maxBytes: 1 << 20 })) }],
    });
    await new Promise((r) => setTimeout(r, 200));
    await p.send({ topic: 'lp', messages: [{ value: 'wake', partition: 2 }] });
    const res = await pending;
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 3000, `answered after ${elapsed} ms, should be woken well before maxWaitTime`);
    const got = res.responses[0]!.partitions.find((x) => x.partition === 2)!;
    assert.is(got.messages[0]!.value!.toString(), 'wake');
  } finally {
    await p.disconnect();
  }
});

test('a fetch with nothing to return waits about maxWaitTime', async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'idle' }] });
  await admin.disconnect();
  const started = Date.now();
  const res = await raw.fetch({ maxWaitTime: 300, minBytes: 1, topics: [{ topic: 'idle', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1024 }] }] });
  assert.is(res.responses[0]!.partitions[0]!.messages.length, 0);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 250, `returned after ${elapsed} ms`);
});

test.run();
