// Committed offsets survive a broker restart over the same data dir (kafkajs, unchanged).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../../lib/broker/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'broker-groups-'));
test.after(() => rmSync(dataDir, { recursive: true, force: true }));

async function withAdmin<T>(brokers: string[], fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

test('offsets committed before a restart are fetched after it, and the group lists as Empty', async () => {
  const first = await startBroker({ port: 0, dataDir });
  await withAdmin(first.brokers, async (admin) => {
    await admin.createTopics({ topics: [{ topic: 'persist', numPartitions: 2 }] });
    await admin.setOffsets({ groupId: 'kept', topic: 'persist', partitions: [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }] });
  });
  // A commit by a consuming member too, not only the admin's simple commit.
  const kafka = new Kafka({ brokers: first.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'persist', messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'kept', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'persist' });
  let seen = 0;
  await consumer.run({ eachMessage: async () => { seen++; } });
  for (let i = 0; i < 200 && seen < 2; i++) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  assert.is(seen, 2);
  await first.stop();
  assert.ok(existsSync(join(dataDir, 'groups', 'offsets.jsonl')));

  const second = await startBroker({ port: 0, dataDir });
  try {
    await withAdmin(second.brokers, async (admin) => {
      const offsets = await admin.fetchOffsets({ groupId: 'kept', topics: ['persist'] });
      const byPartition = Object.fromEntries(offsets[0]!.partitions.map((p) => [p.partition, p.offset]));
      assert.equal(byPartition, { 0: '0', 1: '2' });
      const { groups } = await admin.listGroups();
      assert.ok(groups.some((g) => g.groupId === 'kept'));
      assert.is((await admin.describeGroups(['kept'])).groups[0]!.state, 'Empty');
    });
  } finally {
    await second.stop();
  }
});

test.run();
