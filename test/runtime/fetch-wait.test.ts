// fetchMaxWaitMs (Kafka's fetch.max.wait.ms): an idle instance's fetch waits at most this long
// at the broker, and close() waits for the fetch in flight, so an idle close is that quick too
// (with the default, kafkajs's 5000 ms, it takes about 5 s: the runtime fixtures set 500).
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { countTopology, createTopics, newInstance, waitFor } from './fixtures.ts';
import { StreamsConfigError } from '../../lib/runtime/config.ts';

forEachBroker('test/runtime/fetch-wait.test.ts', (test, brokerList) => {
  test('an idle instance closes within its fetch wait, not kafkajs\'s 5 s', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('idle-in'), uniqueName('idle-out')];
    await createTopics(brokers, [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }]);
    const app = newInstance(countTopology(input, output), { applicationId: uniqueName('idle'), brokers, fetchMaxWaitMs: 500 });
    try {
      await app.start();
      await waitFor('running with its task', () => app.state === 'RUNNING' && app.metrics().tasks.length === 1);
      await new Promise((r) => setTimeout(r, 200)); // a fetch of the empty partition is now waiting at the broker
      const started = Date.now();
      await app.close();
      const ms = Date.now() - started;
      assert.ok(ms < 3000, `close took ${ms} ms`);
      assert.is(app.state, 'NOT_RUNNING');
    } finally {
      await app.close();
    }
  });

  test('a fetchMaxWaitMs that is not a positive number is refused', () => {
    assert.throws(() => newInstance(countTopology('a', 'b'), { applicationId: 'bad-wait', brokers: brokerList(), fetchMaxWaitMs: 0 }),
      (err: unknown) => err instanceof StreamsConfigError && /fetchMaxWaitMs/.test(String(err)));
  });
});
