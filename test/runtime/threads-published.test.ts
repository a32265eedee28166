// Published stores: each stream thread posts its counts store to the instance after its commits,
// and the instance reads them without asking the thread, so a read is answered at once even
// while a thread is held by a long batch, and the copies add up to every record processed.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, waitFor } from './fixtures.ts';
import type { ThreadedStreams } from '../../lib/index.ts';
import { threaded } from './fixtures/threaded.ts';

const KEYS = 20;
const PER_KEY = 10;
const STALL_MS = 3000;

const publishedTotal = (streams: ThreadedStreams) =>
  streams.published().localStores<string, number>('counts').reduce((n, s) => n + [...s.all()].reduce((m, e) => m + e.value, 0), 0);

async function produce(brokers: string[], topic: string, messages: { key: string; value: string }[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

forEachBroker('test/runtime/threads-published.test.ts', (test, brokerList) => {
  test('two threads publish their counts: the instance\'s copies add up to every record, and answer at once while a thread is held by a batch', async () => {
    const brokers = brokerList();
    const input = uniqueName('pub-in'), output = uniqueName('pub-out');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const streams = threaded({ input, output, publish: true, stallKey: 'stall', stallMs: STALL_MS }, { applicationId: uniqueName('pub-app'), brokers, numStreamThreads: 2 });
    try {
      await streams.start();
      await waitFor('both threads published', () => streams.published().oldest !== undefined);
      const messages = [];
      for (let r = 0; r < PER_KEY; r++) for (let k = 0; k < KEYS; k++) messages.push({ key: `key-${k}`, value: `v${r}` });
      await produce(brokers, input, messages);
      await waitFor(`${KEYS * PER_KEY} counts published`, () => publishedTotal(streams) === KEYS * PER_KEY);
      const view = streams.published();
      assert.is(view.localStores('counts').length, 2, 'one copy per task');
      for (let k = 0; k < KEYS; k++) assert.is(view.localStores<string, number>('counts').map((s) => s.get(`key-${k}`)).find((v) => v !== undefined), PER_KEY, `key-${k}`);
      assert.is(publishedTotal(streams), (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0), 'the same as the threads\' own stores');

      // One thread is held for STALL_MS: a query it has to answer waits for it, the published copy does not.
      await produce(brokers, input, [{ key: 'stall', value: 'x' }]);
      // Held = a query unanswered after 500 ms; the checks below run while it is still unanswered,
      // so the thread is still inside the stall (the record is counted after it).
      let held: Promise<unknown> | undefined;
      await waitFor('a thread held by the stall record', async () => {
        const query = streams.queryThreads<number>('total');
        const unanswered = await Promise.race([query.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 500))]);
        if (unanswered) held = query;
        return unanswered;
      });
      const started = performance.now();
      assert.is(publishedTotal(streams), KEYS * PER_KEY);
      assert.ok(performance.now() - started < 50, `the published read took ${performance.now() - started} ms`);
      await held;
      await waitFor('the stall record counted and published', () => publishedTotal(streams) === KEYS * PER_KEY + 1);
    } finally {
      await streams.close();
    }
  });
});
