// The stateful DSL on a broker: a groupBy count through its repartition topic on two instances
// with a failover, and a windowed count that restores its window store from the changelog.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { InvalidStateStoreError, Serdes, StreamsBuilder, TimeWindows } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, produceKeys, waitFor, S } from './fixtures.ts';

const L = Serdes.Int64();
const KEYS = 40;
const PER_KEY = 25;

/** input keys key-N regrouped as KEY-N (a new key: through `<app>-upper-repartition`) and counted. */
function regroupCount(input: string, output: string) {
  const b = new StreamsBuilder();
  b.stream<string, string>(input, { keySerde: S, valueSerde: S })
    .groupBy((k) => k.toUpperCase(), { name: 'upper', keySerde: S })
    .count({ storeName: 'upper-counts' })
    .toStream().to(output, { valueSerde: L });
  return b.build();
}

function windowedCount(input: string) {
  const b = new StreamsBuilder();
  b.stream<string, string>(input, { keySerde: S, valueSerde: S })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 3_600_000))
    .count({ storeName: 'minute-counts' });
  return b.build();
}

async function topicNames(brokers: string[]): Promise<string[]> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try { return await admin.listTopics(); } finally { await admin.disconnect(); }
}

forEachBroker('test/runtime/dsl.test.ts', (test, brokerList) => {
  test('a groupBy count goes through its repartition topic and stays exact when one of two instances leaves', async () => {
    const brokers = brokerList();
    const input = uniqueName('dsl-in');
    const output = uniqueName('dsl-out');
    const applicationId = uniqueName('dsl-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const a = newInstance(regroupCount(input, output), { applicationId, brokers });
    const b = newInstance(regroupCount(input, output), { applicationId, brokers });
    try {
      await Promise.all([a.start(), b.start()]);
      assert.ok((await topicNames(brokers)).includes(`${applicationId}-upper-repartition`), 'the repartition topic was created');
      await produceKeys(brokers, input, KEYS, PER_KEY);
      // A store being handed over in a rebalance may be closed for a moment: read it again later.
      const read = (app: typeof a, key: string) => { try { return app.store<string, number>('upper-counts').get(key); } catch { return undefined; } };
      const count = (key: string) => read(a, key) ?? read(b, key);
      await waitFor('every key counted', () => [...Array(KEYS).keys()].every((k) => count(`KEY-${k}`) === PER_KEY));

      // The counting tasks (sub-topology 1) b held: a restores their stores when it takes them.
      const countingOnB = b.metrics().tasks.filter((t) => t.startsWith('1_'));
      await b.close();
      await waitFor('a owns every task', () => a.state === 'RUNNING' && a.metrics().tasks.length === 8);
      await produceKeys(brokers, input, KEYS, PER_KEY);
      await waitFor('every key counted twice over', () => [...Array(KEYS).keys()].every((k) => read(a, `KEY-${k}`) === 2 * PER_KEY));
      if (countingOnB.length) assert.ok(a.metrics().restoredRecords > 0, `a restored b's counts (tasks ${countingOnB.join(', ')}) from their changelog`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a windowed count restores its window store from the changelog on a new instance', async () => {
    const brokers = brokerList();
    const input = uniqueName('dsl-win-in');
    const applicationId = uniqueName('dsl-win-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }]);
    const first = newInstance(windowedCount(input), { applicationId, brokers });
    await first.start();
    await produceKeys(brokers, input, 10, 3);
    await waitFor('30 records', () => first.metrics().processed >= 30);
    await first.close();
    const second = newInstance(windowedCount(input), { applicationId, brokers, applicationServer: 'localhost:7070' });
    try {
      await second.start();
      await waitFor('second running with both tasks', () => second.state === 'RUNNING' && second.metrics().tasks.length === 2);
      const store = second.windowStore<string, number>('minute-counts');
      const total = (key: string) => store.fetchRange(key, 0, Number.MAX_SAFE_INTEGER).reduce((n, e) => n + e.value, 0);
      assert.ok(second.metrics().restoredRecords > 0, 'restored from the changelog');
      for (let k = 0; k < 10; k++) assert.is(total(`key-${k}`), 3, `key-${k} counted 3 times over its windows`);
      assert.is(second.store<string, number>('minute-counts', 'window').fetchRange('key-1', 0, Number.MAX_SAFE_INTEGER).length, store.fetchRange('key-1', 0, Number.MAX_SAFE_INTEGER).length);
      assert.throws(() => second.store<string, number>('minute-counts').get('key-1'), (e: Error) => e instanceof InvalidStateStoreError && e.name === 'StoreTypeError' && /window store/.test(e.message));
      // A windowed store's key is the record key: its owner found by the key's partition.
      await waitFor('metadata', () => second.queryMetadataForKey('minute-counts', 'key-1', S) !== undefined);
      assert.equal(second.queryMetadataForKey('minute-counts', 'key-1', S)?.activeHost, { host: 'localhost', port: 7070 });
    } finally {
      await second.close();
    }
  });
});
