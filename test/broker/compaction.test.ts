// cleanup.policy=compact: the latest record per key stays, offsets never change, tombstones
// go after delete.retention.ms, and a restart keeps the compacted log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, CompressionTypes } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { connectKafkajsBroker } from './kafkajs-broker.ts';

async function setup(broker: RunningBroker, topic: string, policy: string) {
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: policy }] }] });
  await admin.disconnect();
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  return p;
}

async function read(broker: RunningBroker, topic: string) {
  const raw = await connectKafkajsBroker(broker.host, broker.port);
  try {
    const res = await raw.fetch({ maxWaitTime: 10, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] });
    const part = res.responses[0]!.partitions[0]!;
    return { hw: part.highWatermark, records: part.messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value?.toString() ?? null]) };
  } finally {
    await raw.disconnect();
  }
}

test('compaction keeps the latest value per key at its original offset', async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const p = await setup(broker, 'cl', 'compact');
    await p.send({ topic: 'cl', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '1' }] });
    await p.send({ topic: 'cl', compression: CompressionTypes.GZIP, messages: [{ key: 'a', value: '2' }, { key: 'c', value: '1' }] });
    await p.send({ topic: 'cl', messages: [{ key: 'a', value: '3' }] });
    await p.disconnect();
    const stats = broker.compact();
    assert.is(stats.recordsRemoved, 2);
    assert.equal(await read(broker, 'cl'), { hw: '5', records: [['1', 'b', '1'], ['3', 'c', '1'], ['4', 'a', '3']] });
  } finally {
    await broker.stop();
  }
});

test('topics with cleanup.policy=delete are not compacted', async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const p = await setup(broker, 'del', 'delete');
    await p.send({ topic: 'del', messages: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] });
    await p.disconnect();
    assert.is(broker.compact().recordsRemoved, 0);
    assert.is((await read(broker, 'del')).records.length, 2);
  } finally {
    await broker.stop();
  }
});

test('tombstones stay until delete.retention.ms, then go; the log end offset is kept', async () => {
  const broker = await startBroker({ port: 0, tombstoneRetentionMs: 300 });
  try {
    const p = await setup(broker, 'tomb', 'compact');
    await p.send({ topic: 'tomb', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '1' }] });
    await p.send({ topic: 'tomb', messages: [{ key: 'a', value: null }] });
    await p.disconnect();
    broker.compact();
    assert.equal((await read(broker, 'tomb')).records, [['1', 'b', '1'], ['2', 'a', null]], 'tombstone kept while young');
    await new Promise((r) => setTimeout(r, 350));
    broker.compact();
    assert.equal(await read(broker, 'tomb'), { hw: '3', records: [['1', 'b', '1']] });
  } finally {
    await broker.stop();
  }
});

test('a compacted log reloads from dataDir with the same offsets', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'broker-compact-'));
  try {
    const first = await startBroker({ port: 0, dataDir });
    const p = await setup(first, 'cp', 'compact');
    await p.send({ topic: 'cp', messages: [{ key: 'k', value: 'old' }] });
    await p.send({ topic: 'cp', messages: [{ key: 'k', value: 'new' }] });
    await p.disconnect();
    first.compact();
    await first.stop();
    const second = await startBroker({ port: 0, dataDir });
    try {
      assert.equal(await read(second, 'cp'), { hw: '2', records: [['1', 'k', 'new']] });
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
