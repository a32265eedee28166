// With dataDir, topics, configs and records survive a broker restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { brokerStateOf, startBroker } from '../../lib/broker/server.ts';
import { connectKafkajsBroker } from './kafkajs-broker.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'broker-persist-'));
  dirs.push(d);
  return d;
};
test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function produce(brokers: string[], topic: string, values: string[]): Promise<void> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await p.connect();
  await p.send({ topic, messages: values.map((value) => ({ value })) });
  await p.disconnect();
}

async function readAll(host: string, port: number, topic: string): Promise<{ values: string[]; offsets: string[] }> {
  const raw = await connectKafkajsBroker(host, port);
  try {
    const res = await raw.fetch({ maxWaitTime: 10, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] });
    const msgs = res.responses[0]!.partitions[0]!.messages;
    return { values: msgs.map((m) => m.value!.toString()), offsets: msgs.map((m) => m.offset) };
  } finally {
    await raw.disconnect();
  }
}

test('records and topic configs survive a restart with the same dataDir', async () => {
  const dataDir = tempDir();
  const first = await startBroker({ port: 0, dataDir });
  const admin = new Kafka({ brokers: first.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'kept', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
  await admin.disconnect();
  await produce(first.brokers, 'kept', ['a', 'b']);
  await produce(first.brokers, 'kept', ['c']);
  await first.stop();

  const second = await startBroker({ port: 0, dataDir });
  try {
    assert.equal(await readAll(second.host, second.port, 'kept'), { values: ['a', 'b', 'c'], offsets: ['0', '1', '2'] });
    assert.is(brokerStateOf(second).topics.get('kept')!.configs.get('cleanup.policy'), 'compact');
    await produce(second.brokers, 'kept', ['d']);
    const after = await readAll(second.host, second.port, 'kept');
    assert.equal(after.offsets, ['0', '1', '2', '3'], 'new appends continue after the reloaded offsets');
  } finally {
    await second.stop();
  }
});

test('a torn batch at the end of a log file is dropped on load', async () => {
  const dataDir = tempDir();
  const first = await startBroker({ port: 0, dataDir });
  await produce(first.brokers, 'torn', ['x', 'y']);
  await first.stop();
  const dir = join(dataDir, 'logs', 'torn');
  const logFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.log'))!);
  appendFileSync(logFile, Buffer.from([0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 200, 1, 2, 3])); // half a batch
  const second = await startBroker({ port: 0, dataDir });
  try {
    assert.equal((await readAll(second.host, second.port, 'torn')).values, ['x', 'y']);
  } finally {
    await second.stop();
  }
});

test('a log start offset moved by DeleteRecords survives a restart', async () => {
  const dataDir = tempDir();
  const first = await startBroker({ port: 0, dataDir });
  await produce(first.brokers, 'trimmed', ['a', 'b']);
  await produce(first.brokers, 'trimmed', ['c']);
  const admin = new Kafka({ brokers: first.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.fetchTopicMetadata({ topics: ['trimmed'] });
  await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '3' }] });
  await admin.disconnect();
  await first.stop();
  const second = await startBroker({ port: 0, dataDir });
  try {
    const log = brokerStateOf(second).topics.get('trimmed')!.partitions[0]!;
    assert.equal([log.logStartOffset, log.nextOffset, log.batchCount], [3, 3, 0]);
    await produce(second.brokers, 'trimmed', ['d']);
    assert.is(log.snapshot()[0]!.baseOffset, 3, 'appends continue at the kept end offset');
  } finally {
    await second.stop();
  }
});

test('without dataDir a restarted broker starts empty', async () => {
  const first = await startBroker({ port: 0 });
  await produce(first.brokers, 'gone', ['x']);
  await first.stop();
  const second = await startBroker({ port: 0 });
  try {
    assert.is(brokerStateOf(second).topics.get('gone'), undefined);
  } finally {
    await second.stop();
  }
});

test.run();
