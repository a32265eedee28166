// A folded global table (not last-value) must not apply a record twice after a restart whose
// store on disk holds more than the checkpoint says: a crash before the first checkpoint, or
// during the store batch (the checkpoint is then left pending). The crashes are reproduced by
// leaving the checkpoint file as each would.
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, S, I } from './fixtures.ts';
import { Stores, StreamsBuilder } from '../../lib/index.ts';

function countTopology(counted: string, orders: string, out: string) {
  const b = new StreamsBuilder();
  const counts = b.globalTableMaintained<string, number, string>(counted, {
    keySerde: S, valueSerde: S, store: Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), S, I),
    maintain: { kind: 'fold', fold: (current) => (current ?? 0) + 1 },
  });
  b.stream<string, string>(orders, { keySerde: S, valueSerde: S })
    .leftJoin(counts, (k) => k, (_v, n) => String(n ?? 0))
    .to(out, { keySerde: S, valueSerde: S });
  return b.build();
}


async function setUp(brokers: string[]) {
  const [counted, orders, out] = [uniqueName('counted'), uniqueName('orders'), uniqueName('out')];
  await createTopics(brokers, [{ topic: counted, numPartitions: 2 }, { topic: orders, numPartitions: 1 }, { topic: out, numPartitions: 1 }]);
  const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: counted, acks: -1, messages: Array.from({ length: 24 }, (_, i) => ({ key: `k${i % 4}`, value: String(i) })) });
  await producer.disconnect();
  // What the topic holds (a producer retry may have written a record twice): the count to reach.
  const admin = kafka.admin();
  await admin.connect();
  const records = (await admin.fetchTopicOffsets(counted)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  await admin.disconnect();
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-global-replay-'));
  const config = { applicationId: uniqueName('global-replay'), brokers, stateDir };
  return { records, topology: () => countTopology(counted, orders, out), config, checkpoint: join(stateDir, config.applicationId, 'global', '.checkpoint'), stateDir };
}

async function countedAfterStart(setup: Awaited<ReturnType<typeof setUp>>): Promise<number> {
  const app = newInstance(setup.topology(), setup.config);
  try {
    await app.start();
    return [...app.store<string, number>('counts').all()].reduce((n, { value }) => n + value, 0);
  } finally {
    await app.close();
  }
}

forEachBroker('test/runtime/global-replay.test.ts', (test, brokerList) => {
  test('a persistent folded global table restarted without its checkpoint counts each record once', async () => {
    const setup = await setUp(brokerList());
    try {
      assert.is(await countedAfterStart(setup), setup.records);
      rmSync(setup.checkpoint);
      assert.is(await countedAfterStart(setup), setup.records, 'the store on disk is not folded over again');
    } finally {
      rmSync(setup.stateDir, { recursive: true, force: true });
    }
  });

  test('a persistent folded global table restarted with a pending, older checkpoint counts each record once', async () => {
    const setup = await setUp(brokerList());
    try {
      assert.is(await countedAfterStart(setup), setup.records);
      const saved = JSON.parse(readFileSync(setup.checkpoint, 'utf8')) as { offsets: { [t: string]: { [p: string]: number } } };
      for (const partitions of Object.values(saved.offsets)) for (const p of Object.keys(partitions)) partitions[p] = 0;
      writeFileSync(setup.checkpoint, JSON.stringify({ ...saved, pending: true }));
      assert.is(await countedAfterStart(setup), setup.records, 'the batch the checkpoint could not vouch for is rebuilt, not replayed over');
    } finally {
      rmSync(setup.stateDir, { recursive: true, force: true });
    }
  });
});
