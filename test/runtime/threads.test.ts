import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, produceKeys, readLatest, waitFor, S } from './fixtures.ts';
import type { ThreadedStreams } from '../../lib/index.ts';
import { openQueryServer } from '../../lib/query/index.ts';
import { threaded } from './fixtures/threaded.ts';

const KEYS = 40;
const PER_KEY = 50; // 2,000 records

function disjointTasks(streams: ThreadedStreams): string[] {
  const all = streams.threads().flatMap((t) => t.tasks);
  assert.is(new Set(all).size, all.length, `a task on two threads: ${JSON.stringify(streams.threads())}`);
  return all.sort();
}

forEachBroker('test/runtime/threads.test.ts', (test, brokerList) => {
  test('two threads in one instance count every record once, each task on one thread, and the query server reads both', async () => {
    const brokers = brokerList();
    const input = uniqueName('thr-in'), output = uniqueName('thr-out'), applicationId = uniqueName('thr-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const server = await openQueryServer({ port: 0 });
    const streams = threaded({ input, output }, { applicationId, brokers, applicationServer: server.applicationServer, numStreamThreads: 2 });
    server.attach(streams);
    try {
      await streams.start();
      assert.is(streams.state, 'RUNNING');
      await produceKeys(brokers, input, KEYS, PER_KEY);
      await waitFor('2,000 records processed', () => streams.metrics().processed >= KEYS * PER_KEY);
      assert.is(streams.metrics().processed, KEYS * PER_KEY);
      assert.equal(disjointTasks(streams), ['0_0', '0_1', '0_2', '0_3']);
      assert.equal(streams.threads().map((t) => t.tasks.length), [2, 2]);
      // Stores take their writes at the commit after processing: wait for the last one.
      await waitFor('2,000 counts in the stores', async () => (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0) === KEYS * PER_KEY);
      const totals = await streams.queryThreads<number>('total');
      assert.is(totals.length, 2);
      assert.ok(totals.every((n) => n > 0), `both threads hold counts: ${totals}`);
      assert.is(totals.reduce((a, b) => a + b, 0), KEYS * PER_KEY);

      await waitFor('one instance listed with 4 tasks', () => streams.allMetadata().length === 1 && streams.allMetadata()[0]!.tasks.length === 4);
      for (let k = 0; k < KEYS; k++) {
        const key = `key-${k}`;
        assert.is(await streams.queryStore<string, number, { kind: 'get'; key: string }>('counts', { kind: 'get', key }, S), PER_KEY, key);
        const res = await fetch(`${server.url}/stores/counts/keys/${key}`);
        assert.is(res.status, 200, key);
        assert.is(((await res.json()) as { value: number }).value, PER_KEY, `${key} over HTTP`);
      }
      const entries: { key: string; value: number }[] = [];
      let cursor: string | undefined;
      do {
        const res = await fetch(`${server.url}/stores/counts/entries?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        const page = (await res.json()) as { entries: { key: string; value: number }[]; next?: string };
        entries.push(...page.entries);
        cursor = page.next;
      } while (cursor);
      assert.is(entries.length, KEYS, 'a paged scan sees every key of both threads once');
      assert.is(new Set(entries.map((e) => e.key)).size, KEYS);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /modelstream_thread_tasks\{thread="0"\} 2/);
      assert.match(metrics, /modelstream_thread_tasks\{thread="1"\} 2/);
      assert.match(metrics, new RegExp(`modelstream_records_processed_total ${KEYS * PER_KEY}`));
      const latest = await readLatest(brokers, output, KEYS * PER_KEY);
      for (let k = 0; k < KEYS; k++) assert.is(latest.get(`key-${k}`), PER_KEY);
    } finally {
      await server.close();
      await streams.close();
    }
    assert.is(streams.state, 'NOT_RUNNING');
  });
});
