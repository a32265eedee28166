// A task with two logged stores was killed between the answers for its two changelog partitions
// (on a cluster they have different leaders): store A's part of the commit landed, store B's did
// not, and the source offsets were not committed. The crash state is built by hand: A's changelog
// holds k=3 written at source position 3, B's holds nothing, the group has no offsets. Each store
// must end up counting each input once: A keeps 3, B counts the three inputs again.
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { POSITION_HEADER } from '../../lib/streams/internal/positions.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, waitFor, I } from './fixtures.ts';
import { twoStoreTopology } from './fixtures/two-store-app.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };

forEachBroker('test/runtime/split-commit.test.ts', (test, brokerList) => {
  test('a commit that landed in one store\'s changelog only: each store counts each input once, across a restart', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('split-in'), uniqueName('split')];
    const [changelogA, changelogB] = [`${applicationId}-a-changelog`, `${applicationId}-b-changelog`];
    await createTopics(brokers, [{ topic: input, numPartitions: 1 }, { topic: changelogA, numPartitions: 1 }, { topic: changelogB, numPartitions: 1 }]);
    const producer = new kafkajs.Kafka({ brokers, ...quiet }).producer();
    await producer.connect();
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-split-'));
    const inputs = (n: number) => producer.send({ topic: input, acks: -1, messages: Array.from({ length: n }, () => ({ key: 'k', value: 'x' })) });
    try {
      // A's changelog claims the first three inputs; only the first exists yet, so the first
      // instance stops inside the range A holds and B does not (its commit then checkpoints both).
      const position = { [`${input}:0`]: 3 };
      await producer.send({ topic: changelogA, acks: -1, messages: [{ partition: 0, key: 'k', value: Buffer.from(I.serialize(3, changelogA)!), headers: { [POSITION_HEADER]: JSON.stringify(position) } }] });
      await inputs(1);

      const first = newInstance(twoStoreTopology(input), { applicationId, brokers, stateDir });
      try {
        await first.start();
        await waitFor('the first input processed', () => first.metrics().processed === 1);
        assert.is(first.store<string, number>('a').get('k'), 3, 'A already held the input: its write is dropped');
        assert.is(first.store<string, number>('b').get('k'), 1, 'B lacked it: counted');
      } finally {
        await first.close();
      }

      // The same state dir: A's checkpoint must still say it holds inputs up to 3, not 1.
      await inputs(2);
      const second = newInstance(twoStoreTopology(input), { applicationId, brokers, stateDir });
      try {
        await second.start();
        await waitFor('the other two inputs processed', () => second.metrics().processed === 2);
        assert.is(second.store<string, number>('a').get('k'), 3, 'A counts each of the three inputs once');
        assert.is(second.store<string, number>('b').get('k'), 3, 'B counts each of the three inputs once');
      } finally {
        await second.close();
      }

      // A third instance from an empty state dir restores both from their changelogs alone.
      await inputs(1);
      const third = newInstance(twoStoreTopology(input), { applicationId, brokers });
      try {
        await third.start();
        await waitFor('the fourth input processed', () => third.metrics().processed === 1);
        assert.is(third.store<string, number>('a').get('k'), 4);
        assert.is(third.store<string, number>('b').get('k'), 4);
      } finally {
        await third.close();
      }
    } finally {
      await producer.disconnect();
    }
  });
});
