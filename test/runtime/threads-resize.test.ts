import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, produceKeys, waitFor } from './fixtures.ts';
import { threaded } from './fixtures/threaded.ts';

forEachBroker('test/runtime/threads-resize.test.ts', (test, brokerList) => {
  test('addStreamThread takes half of the tasks, removeStreamThread gives them back, and every record is counted once', async () => {
    const brokers = brokerList();
    const input = uniqueName('thrr-in'), output = uniqueName('thrr-out'), applicationId = uniqueName('thrr-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const streams = threaded({ input, output }, { applicationId, brokers, numStreamThreads: 1 });
    const total = async () => (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0);
    try {
      await streams.start();
      assert.equal(streams.threads().map((t) => t.tasks), [['0_0', '0_1']]);
      assert.is(streams.addStreamThread(), 1);
      await waitFor('two threads with one task each', () => streams.state === 'RUNNING' && streams.threads().every((t) => t.tasks.length === 1));
      await produceKeys(brokers, input, 20, 10);
      await waitFor('200 counted on two threads', async () => (await total()) === 200);
      assert.is(await streams.removeStreamThread(), 1);
      await waitFor('one thread with both tasks', () => streams.state === 'RUNNING' && streams.threads().length === 1 && streams.threads()[0]!.tasks.length === 2);
      await produceKeys(brokers, input, 20, 10);
      await waitFor('400 counted on one thread', async () => (await total()) === 400);
      assert.ok(streams.metrics().processed >= 400, 'the removed thread\'s records stay in the totals');
    } finally {
      await streams.close();
    }
  });
});
