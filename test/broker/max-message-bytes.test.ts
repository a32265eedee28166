// max.message.bytes on the embedded broker: a record batch larger than the topic's limit (else
// the broker's message.max.bytes) is refused for its partition with MESSAGE_TOO_LARGE (10), on
// the wire, through kafkajs, kcat (librdkafka) and Kafka's own Java console producer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { encodeBatch } from '../../lib/broker/protocol/records.ts';
import { Reader } from '../../lib/broker/protocol/reader.ts';
import { Writer } from '../../lib/broker/protocol/writer.ts';
import { defaultLibsDir, javaCommand, kafkaAvailable } from '../../scripts/kafka/provision.ts';
import { rawClient, requestFrame } from './raw-client.ts';

const MESSAGE_TOO_LARGE = 10;
let broker: RunningBroker;
let admin: Admin;
let kafka: Kafka;

test.before(async () => {
  broker = await startBroker({ port: 0, maxMessageBytes: 4096 });
  kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  await admin.connect();
});
test.after(async () => {
  await admin.disconnect();
  await broker.stop();
});

const batchOf = (valueBytes: number) => encodeBatch({
  baseOffset: 0, baseTimestamp: Date.now(), maxTimestamp: Date.now(), lastOffsetDelta: 0,
  records: [{ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.alloc(valueBytes, 0x61), headers: [] }],
});

/** One Produce v3 request (acks 1) over a bare socket; answers the error code per `topic/partition`. */
async function produceRaw(parts: { topic: string; partition: number; records: Buffer }[]): Promise<Map<string, number>> {
  const byTopic = new Map<string, { partition: number; records: Buffer }[]>();
  for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  const w = new Writer().nullableString(null).int16(1).int32(5000);
  w.array([...byTopic], (w, [name, ps]) => { w.string(name); w.array(ps, (w, p) => w.int32(p.partition).bytes(p.records)); });
  const client = await rawClient(broker.port);
  try {
    client.send(requestFrame(0, 3, 7, w.toBuffer()));
    const r = new Reader(await client.nextFrame());
    r.int32(); // correlation id
    const out = new Map<string, number>();
    r.array((r) => {
      const name = r.string();
      r.array((r) => { const partition = r.int32(); out.set(`${name}/${partition}`, r.int16()); r.int64(); r.int64(); });
    });
    return out;
  } finally {
    client.close();
  }
}

const endOffset = async (topic: string, partition = 0) =>
  Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition)!.offset);

async function topicConfig(topic: string, name: string) {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: [name] }] });
  return res.resources[0]!.configEntries.find((e) => e.configName === name);
}

test('a batch one byte over max.message.bytes is refused with MESSAGE_TOO_LARGE; one exactly at it is appended', async () => {
  const batch = batchOf(500);
  await admin.createTopics({ topics: [
    { topic: 'mmb-at', configEntries: [{ name: 'max.message.bytes', value: String(batch.length) }] },
    { topic: 'mmb-over', configEntries: [{ name: 'max.message.bytes', value: String(batch.length - 1) }] },
  ] });
  // Both partitions in one request: the refusal is per partition, the other one still appends.
  const codes = await produceRaw([{ topic: 'mmb-at', partition: 0, records: batch }, { topic: 'mmb-over', partition: 0, records: batch }]);
  assert.is(codes.get('mmb-at/0'), 0);
  assert.is(codes.get('mmb-over/0'), MESSAGE_TOO_LARGE);
  assert.is(await endOffset('mmb-at'), 1);
  assert.is(await endOffset('mmb-over'), 0, 'nothing of the refused partition was appended');
});

test('a request whose second batch is too large appends neither batch of that partition', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-two', configEntries: [{ name: 'max.message.bytes', value: '1000' }] }] });
  const codes = await produceRaw([{ topic: 'mmb-two', partition: 0, records: Buffer.concat([batchOf(100), batchOf(2000)]) }]);
  assert.is(codes.get('mmb-two/0'), MESSAGE_TOO_LARGE);
  assert.is(await endOffset('mmb-two'), 0);
});

test('without a topic setting the broker default (message.max.bytes) applies, through kafkajs', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-default' }] });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: 'mmb-default', messages: [{ value: Buffer.alloc(3000) }] });
    const err = await producer.send({ topic: 'mmb-default', messages: [{ value: Buffer.alloc(5000) }] }).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'the 5000-byte message was refused');
    assert.match(String((err as Error).message), /larger than the max message size/);
    assert.is(await endOffset('mmb-default'), 1);
  } finally {
    await producer.disconnect();
  }
});

test('a topic setting overrides the broker default both ways', async () => {
  await admin.createTopics({ topics: [
    { topic: 'mmb-bigger', configEntries: [{ name: 'max.message.bytes', value: '20000' }] },
    { topic: 'mmb-smaller', configEntries: [{ name: 'max.message.bytes', value: '200' }] },
  ] });
  assert.is((await produceRaw([{ topic: 'mmb-bigger', partition: 0, records: batchOf(10_000) }])).get('mmb-bigger/0'), 0);
  assert.is((await produceRaw([{ topic: 'mmb-smaller', partition: 0, records: batchOf(300) }])).get('mmb-smaller/0'), MESSAGE_TOO_LARGE);
});

test('AlterConfigs sets max.message.bytes, and dropping it returns the topic to the broker default', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-alter' }] });
  const records = batchOf(1000);
  assert.is((await produceRaw([{ topic: 'mmb-alter', partition: 0, records }])).get('mmb-alter/0'), 0);
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'mmb-alter', configEntries: [{ name: 'max.message.bytes', value: '500' }] }] });
  assert.is((await produceRaw([{ topic: 'mmb-alter', partition: 0, records }])).get('mmb-alter/0'), MESSAGE_TOO_LARGE);
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'mmb-alter', configEntries: [] }] });
  assert.is((await produceRaw([{ topic: 'mmb-alter', partition: 0, records }])).get('mmb-alter/0'), 0);
});

test('DescribeConfigs shows a topic\'s own max.message.bytes, or the broker\'s as a static broker default', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-desc', configEntries: [{ name: 'max.message.bytes', value: '12345' }] }, { topic: 'mmb-desc-default' }] });
  const own = await topicConfig('mmb-desc', 'max.message.bytes');
  assert.is(own?.configValue, '12345');
  assert.is(own?.isDefault, false);
  const inherited = await topicConfig('mmb-desc-default', 'max.message.bytes');
  assert.is(inherited?.configValue, '4096');
  assert.is((inherited as { configSource?: number } | undefined)?.configSource, 4, 'STATIC_BROKER_CONFIG: set on the broker, not Kafka\'s default');
});

test('a max.message.bytes that is not an INT >= 0 is refused with INVALID_CONFIG at create and alter', async () => {
  const type = (e: unknown) => (e as { errors?: { type: string }[]; type?: string }).errors?.[0]?.type ?? (e as { type?: string }).type;
  const created = await admin.createTopics({ topics: [{ topic: 'mmb-bad', configEntries: [{ name: 'max.message.bytes', value: 'lots' }] }] }).catch((e: unknown) => e);
  assert.is(type(created), 'INVALID_CONFIG');
  await admin.createTopics({ topics: [{ topic: 'mmb-bad-alter' }] });
  const altered = await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'mmb-bad-alter', configEntries: [{ name: 'max.message.bytes', value: '-1' }] }] }).catch((e: unknown) => e);
  assert.is(type(altered), 'INVALID_CONFIG');
  assert.is(await topicConfig('mmb-bad-alter', 'max.message.bytes').then((e) => e?.configValue), '4096', 'the refused value was not stored');
});

test('DescribeConfigs on the broker resource answers default.replication.factor, message.max.bytes, min.insync.replicas, num.partitions', async () => {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: '0' }] });
  const cfg = Object.fromEntries(res.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
  assert.is(cfg['default.replication.factor'], '1');
  assert.is(cfg['message.max.bytes'], '4096');
  assert.is(cfg['min.insync.replicas'], '1');
  assert.is(cfg['num.partitions'], '1');
});

const hasKcat = spawnSync('kcat', ['-V']).status === 0;
(hasKcat ? test : test.skip)('kcat: the oversized message fails delivery with "Message size too large", the small one lands', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-kcat', configEntries: [{ name: 'max.message.bytes', value: '1000' }] }] });
  const run = (input: string) => new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn('kcat', ['-b', broker.brokers[0]!, '-P', '-t', 'mmb-kcat'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, err }); });
    child.stdin.end(input);
  });
  const small = await run(`${'s'.repeat(100)}\n`);
  assert.is(small.code, 0, small.err);
  const big = await run(`${'b'.repeat(2000)}\n`);
  assert.match(big.err, /Message size too large/);
  assert.is(await endOffset('mmb-kcat'), 1);
});

(kafkaAvailable() ? test : test.skip)('Kafka\'s console producer (--sync) fails with RecordTooLargeException on the oversized line', async () => {
  await admin.createTopics({ topics: [{ topic: 'mmb-java', configEntries: [{ name: 'max.message.bytes', value: '1000' }] }] });
  const err = await new Promise<string>((resolve) => {
    const child = spawn(javaCommand(), ['-Xmx128m', '-cp', join(defaultLibsDir, '*'), 'org.apache.kafka.tools.ConsoleProducer',
      '--bootstrap-server', broker.brokers[0]!, '--topic', 'mmb-java', '--sync']);
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', () => { clearTimeout(timer); resolve(text); });
    child.stdin.end(`${'j'.repeat(100)}\n${'J'.repeat(2000)}\n`);
  });
  assert.match(err, /RecordTooLargeException/);
  assert.is(await endOffset('mmb-java'), 1, 'the small line was appended, the big one was not');
});

test.run();
