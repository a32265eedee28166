import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, produceKeys, waitFor, S } from './fixtures.ts';
import type { ThreadedStreams } from '../../lib/index.ts';
import { threaded } from './fixtures/threaded.ts';

const KEYS = 40;
const PER_KEY = 50; // 2,000 records per round

function disjointTasks(streams: ThreadedStreams): string[] {
  const all = streams.threads().flatMap((t) => t.tasks);
  assert.is(new Set(all).size, all.length, `a task on two threads: ${JSON.stringify(streams.threads())}`);
  return all.sort();
}

forEachBroker('test/runtime/threads-join.test.ts', (test, brokerList) => {
  test('a second two-thread instance joining takes half of the tasks, spread one per thread', async () => {
    const brokers = brokerList();
    const input = uniqueName('thr2-in'), output = uniqueName('thr2-out'), applicationId = uniqueName('thr2-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const a = threaded({ input, output }, { applicationId, brokers, applicationServer: 'localhost:9101', numStreamThreads: 2 });
    const b = threaded({ input, output }, { applicationId, brokers, applicationServer: 'localhost:9102', numStreamThreads: 2 });
    try {
      await a.start();
      await produceKeys(brokers, input, KEYS, PER_KEY);
      await waitFor('a processed the first 2,000', () => a.metrics().processed >= KEYS * PER_KEY);
      await b.start();
      await waitFor('each of 4 threads owns one task', () => a.state === 'RUNNING' && b.state === 'RUNNING'
        && [...a.threads(), ...b.threads()].every((t) => t.tasks.length === 1));
      const tasks = [...disjointTasks(a), ...disjointTasks(b)].sort();
      assert.equal(tasks, ['0_0', '0_1', '0_2', '0_3'], 'no task on two instances');
      await waitFor('both instances listed', () => a.allMetadata().length === 2 && b.allMetadata().length === 2);
      assert.equal(a.allMetadata().map((m) => [m.port, m.tasks.length]), [[9101, 2], [9102, 2]]);
      await produceKeys(brokers, input, KEYS, PER_KEY);
      await waitFor('4,000 records counted', async () => {
        const sums = [...await a.queryThreads<number>('total'), ...await b.queryThreads<number>('total')];
        return sums.reduce((x, y) => x + y, 0) === 2 * KEYS * PER_KEY;
      });
      for (let k = 0; k < KEYS; k++) {
        const key = `key-${k}`;
        const owner = a.queryMetadataForKey('counts', key, S)!.activeHost.port === 9101 ? a : b;
        assert.is(await owner.queryStore<string, number, { kind: 'get'; key: string }>('counts', { kind: 'get', key }, S), 2 * PER_KEY, key);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
