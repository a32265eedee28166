// KafkaStreams.onCommit: called after each task's commit with the task's id (what stream threads
// publish their stores on); a removed listener is not called again.
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { countTopology, createTopics, newInstance, produceKeys, readLatest, waitFor } from './fixtures.ts';

forEachBroker('test/runtime/commit-listener.test.ts', (test, brokerList) => {
  test('onCommit names every task that committed its records, and a removed listener is not called again', async () => {
    const brokers = brokerList();
    const input = uniqueName('cl-in'), output = uniqueName('cl-out');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const app = newInstance(countTopology(input, output), { applicationId: uniqueName('cl-app'), brokers });
    const committed = new Set<string>();
    let late = 0;
    const remove = app.onCommit((task) => committed.add(task));
    try {
      await app.start();
      await produceKeys(brokers, input, 20, 2);
      await waitFor('both tasks committed their records', () => app.metrics().processed === 40 && committed.size === 2);
      assert.equal([...committed].sort(), ['0_0', '0_1']);
      assert.is((await readLatest(brokers, output, 40)).size, 20, 'the committed counts are on the output topic');
      remove();
      app.onCommit(() => { late++; });
      const before = committed.size;
      committed.clear();
      await produceKeys(brokers, input, 20, 1);
      await waitFor('the next records committed', () => app.metrics().processed === 60 && late > 0);
      assert.is(committed.size, 0, `a removed listener was called (had ${before})`);
    } finally {
      await app.close();
    }
  });
});
