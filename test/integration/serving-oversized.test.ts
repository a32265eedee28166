// The tester's case: a valid WineRecord whose dataType is 5 MiB long once made the kv topology
// write a ~10 MiB statistics changelog record that the broker refused on every restart. The serving
// app now skips it as bad input (no store key, no changelog record); the engine's production
// handler is the net below that (test/runtime/production-errors.test.ts). Every valid record gets
// its result, and a restart does not meet the record again.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { encodeModelDescriptor, encodeWineRecord } from '../../topologies/codecs/messages.ts';
import { buildKvTopology } from '../../topologies/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { newInstance, waitFor } from '../runtime/fixtures.ts';
import { files, pmmlDescriptor, wineRecords } from '../topologies/fixtures.ts';
import { ensureTopics } from '../../lib/index.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };

forEachBroker('test/integration/serving-oversized.test.ts', (test, brokerList) => {
  test('a record with a 5 MiB dataType is skipped; the app keeps running, every valid record is scored, a restart goes on', async () => {
    const brokers = brokerList();
    const kafka = new kafkajs.Kafka({ brokers, ...quiet });
    const topics = { data: uniqueName('big-data'), models: uniqueName('big-models'), results: uniqueName('big-results') };
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [
        // The input itself must be accepted: its topic allows 8 MiB.
        { topic: topics.data, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(8 << 20) }] },
        { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 1 },
      ]);
    const results = async () => Number((await admin.fetchTopicOffsets(topics.results))[0]!.high);
    const producer = kafka.producer();
    await producer.connect();
    const produce = (topic: string, messages: { key: string; value: Buffer }[]) => producer.send({ topic, acks: -1, messages });
    const applicationId = uniqueName('serving-big');
    const topology = buildKvTopology({ topics, log: () => {} });
    const app = newInstance(topology.topology, { applicationId, brokers });
    try {
      await app.start();
      await produce(topics.models, [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(pmmlDescriptor(files.tree, 'wine', 'tree', 'a tree'))) }]);
      await waitFor('the model', () => topology.localStats(app, 'wine')?.name === 'tree');
      const wines = wineRecords(10);
      const huge = { ...wines[0]!, dataType: 'w'.repeat(5 << 20) };
      const records = [...wines.slice(0, 5), huge, ...wines.slice(5)];
      await produce(topics.data, records.map((r, i) => ({ key: `r${i}`, value: Buffer.from(encodeWineRecord(r)) })));
      await waitFor('a result per valid record', async () => (await results()) >= 10);
      await waitFor('the statistics of the valid records', () => topology.localStats(app, 'wine')?.invocations === 10);
      assert.is(topology.localBadInput?.(app)['invalid-data-type'], 1);
      assert.is(app.metrics().skippedProduction, 0, 'nothing too large reached the producer');
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
    const again = newInstance(buildKvTopology({ topics, log: () => {} }).topology, { applicationId, brokers });
    try {
      await again.start();
      await produce(topics.data, [{ key: 'next', value: Buffer.from(encodeWineRecord(wineRecords(1)[0]!)) }]);
      await waitFor('the next record scored', async () => (await results()) >= 11);
      assert.is(again.metrics().skippedProduction, 0);
      await waitFor('the restored statistics', () => topology.localStats(again, 'wine')?.invocations === 11);
      assert.is(again.state, 'RUNNING');
    } finally {
      await again.close();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
