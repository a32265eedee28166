// Repartition topics purged as Kafka Streams does: after commits, at most every
// repartitionPurgeIntervalMs, the records below the committed offsets are deleted, on both brokers.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { Serdes, StreamsBuilder } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, produceKeys, waitFor, S } from './fixtures.ts';

const L = Serdes.Int64();
const KEYS = 20;
const PER_ROUND = 10;

function regroupCount(input: string, output: string) {
  const b = new StreamsBuilder();
  b.stream<string, string>(input, { keySerde: S, valueSerde: S })
    .groupBy((k) => k.toUpperCase(), { name: 'upper', keySerde: S })
    .count({ storeName: 'upper-counts' })
    .toStream().to(output, { valueSerde: L });
  return b.build();
}

async function watermarks(brokers: string[], topic: string): Promise<{ low: number; high: number }> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((t, p) => ({ low: t.low + Number(p.low), high: t.high + Number(p.high) }), { low: 0, high: 0 });
  } finally { await admin.disconnect(); }
}

forEachBroker('test/runtime/dsl-repartition-purge.test.ts', (test, brokerList) => {
  test('the repartition topic\'s low watermark moves up to the committed offsets, and the counts stay exact', async () => {
    const brokers = brokerList();
    const input = uniqueName('purge-in');
    const output = uniqueName('purge-out');
    const applicationId = uniqueName('purge-app');
    const repartition = `${applicationId}-upper-repartition`;
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const app = newInstance(regroupCount(input, output), { applicationId, brokers, repartitionPurgeIntervalMs: 300 });
    const read = (key: string) => { try { return app.store<string, number>('upper-counts').get(key); } catch { return undefined; } };
    try {
      await app.start();
      await produceKeys(brokers, input, KEYS, PER_ROUND);
      await waitFor('first round counted', () => [...Array(KEYS).keys()].every((k) => read(`KEY-${k}`) === PER_ROUND));
      assert.is((await watermarks(brokers, repartition)).high, KEYS * PER_ROUND, 'every record went through the repartition topic');
      // A later commit, past the interval, purges what the first round committed.
      await new Promise((r) => setTimeout(r, 400));
      await produceKeys(brokers, input, KEYS, PER_ROUND);
      await waitFor('second round counted', () => [...Array(KEYS).keys()].every((k) => read(`KEY-${k}`) === 2 * PER_ROUND));
      await waitFor('the first round purged', async () => (await watermarks(brokers, repartition)).low >= KEYS * PER_ROUND, 20_000);
      const { low, high } = await watermarks(brokers, repartition);
      assert.is(high, 2 * KEYS * PER_ROUND);
      assert.ok(low <= high, `low ${low} never passes high ${high}`);
    } finally {
      await app.close();
    }
  });

  test('with the default interval (30 s) nothing is purged within a short run', async () => {
    const brokers = brokerList();
    const input = uniqueName('nopurge-in');
    const applicationId = uniqueName('nopurge-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 1 }, { topic: `${input}-out`, numPartitions: 1 }]);
    const app = newInstance(regroupCount(input, `${input}-out`), { applicationId, brokers });
    try {
      await app.start();
      await produceKeys(brokers, input, KEYS, 2);
      await waitFor('counted', () => app.metrics().processed >= 2 * KEYS * 2);
      assert.is((await watermarks(brokers, `${applicationId}-upper-repartition`)).low, 0);
    } finally {
      await app.close();
    }
  });
});
