import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { countTopology, createTopics, newInstance, produceKeys, readLatest, waitFor, S } from './fixtures.ts';
import type { KafkaStreams } from '../../lib/index.ts';

const KEYS = 100;
const PER_KEY = 100; // 10,000 records in the first phase, 20,000 over both

/** The count of `key` read from the instance that queryMetadataForKey names, checking the other lacks it. */
function countOnOwner(instances: Map<string, KafkaStreams>, asker: KafkaStreams, key: string): number | undefined {
  const meta = asker.queryMetadataForKey('counts', key, S);
  assert.ok(meta, `no metadata for ${key}`);
  const owner = instances.get(`${meta.activeHost.host}:${meta.activeHost.port}`);
  assert.ok(owner, `metadata names an unknown host ${meta.activeHost.host}:${meta.activeHost.port}`);
  for (const [host, other] of instances) {
    if (other !== owner && other.state === 'RUNNING') assert.is(other.store<string, number>('counts').get(key), undefined, `${host} should not hold ${key}`);
  }
  return owner.store<string, number>('counts').get(key);
}

forEachBroker('test/runtime/kafka-streams.test.ts', (test, brokerList) => {
  test('two instances count 10,000 records exactly and a survivor takes over with restored state', async () => {
    const brokers = brokerList();
    const input = uniqueName('count-in');
    const output = uniqueName('count-out');
    const applicationId = uniqueName('count-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const topology = () => countTopology(input, output);
    const a = newInstance(topology(), { applicationId, brokers, applicationServer: 'localhost:9001' });
    const b = newInstance(topology(), { applicationId, brokers, applicationServer: 'localhost:9002' });
    const instances = new Map([['localhost:9001', a], ['localhost:9002', b]]);
    try {
      await Promise.all([a.start(), b.start()]);
      await produceKeys(brokers, input, KEYS, PER_KEY);
      const processed = () => a.metrics().processed + b.metrics().processed;
      await waitFor('both instances running with 2 tasks each', () => a.metrics().tasks.length === 2 && b.metrics().tasks.length === 2 && a.state === 'RUNNING' && b.state === 'RUNNING');
      await waitFor('10,000 records processed', () => processed() >= KEYS * PER_KEY);
      assert.is(processed(), KEYS * PER_KEY);
      await waitFor('metadata of both hosts', () => a.allMetadata().length === 2 && b.allMetadata().length === 2);
      assert.equal(a.allMetadataForStore('counts').map((m) => m.port), [9001, 9002]);
      for (let k = 0; k < KEYS; k++) assert.is(countOnOwner(instances, a, `key-${k}`), PER_KEY, `key-${k} on the owner`);

      // Stop b: a takes its partitions, restores them from the changelog and goes on counting.
      await b.close();
      assert.is(b.state, 'NOT_RUNNING');
      await waitFor('a owns all 4 tasks', () => a.metrics().tasks.length === 4 && a.state === 'RUNNING');
      assert.ok(a.metrics().restoredRecords > 0, 'a restored b\'s tasks from their changelogs');
      await produceKeys(brokers, input, KEYS, PER_KEY);
      await waitFor('20,000 records processed in all', () => a.metrics().processed + b.metrics().processed >= 2 * KEYS * PER_KEY);
      await waitFor('metadata of a alone', () => a.allMetadata().length === 1);
      for (let k = 0; k < KEYS; k++) assert.is(countOnOwner(new Map([['localhost:9001', a]]), a, `key-${k}`), 2 * PER_KEY);
      const latest = await readLatest(brokers, output, 2 * KEYS * PER_KEY);
      for (let k = 0; k < KEYS; k++) assert.is(latest.get(`key-${k}`), 2 * PER_KEY, `output count of key-${k}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('an instance restarted with its state directory restores only the changelog tail it missed', async () => {
    const brokers = brokerList();
    const input = uniqueName('tail-in');
    const output = uniqueName('tail-out');
    const applicationId = uniqueName('tail-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-tail-'));
    const first = newInstance(countTopology(input, output), { applicationId, brokers, stateDir });
    await first.start();
    await produceKeys(brokers, input, KEYS, 20);
    await waitFor('first 2,000 records', () => first.metrics().processed >= KEYS * 20);
    await first.close();

    // While it is down, another instance (no local state) processes more records.
    const other = newInstance(countTopology(input, output), { applicationId, brokers });
    await other.start();
    const fullRestore = await (async () => { await waitFor('other running', () => other.state === 'RUNNING'); return other.metrics().restoredRecords; })();
    await produceKeys(brokers, input, 10, 5);
    await waitFor('50 more records', () => other.metrics().processed >= 50);
    await other.close();

    const again = newInstance(countTopology(input, output), { applicationId, brokers, stateDir });
    try {
      await again.start();
      await waitFor('restarted instance running', () => again.state === 'RUNNING' && again.metrics().tasks.length === 2);
      const tail = again.metrics().restoredRecords;
      assert.ok(fullRestore > 0, 'the stateless instance restored the whole changelog');
      assert.ok(tail > 0 && tail < fullRestore, `restored ${tail} records: only the tail, less than the ${fullRestore} of a full restore`);
      assert.is(again.store<string, number>('counts').get('key-3'), 25);
      assert.is(again.store<string, number>('counts').get('key-42'), 20);
    } finally {
      await again.close();
    }
  });
});
