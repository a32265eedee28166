import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, readLatest, waitFor, S } from './fixtures.ts';
import type { ThreadedStreams } from '../../lib/index.ts';
import { openQueryServer } from '../../lib/query/index.ts';
import { threaded } from './fixtures/threaded.ts';
import { PROBE_AT, PROBE_KEY } from './fixtures/thread-topology.ts';

const KEYS = 40;
const PER_KEY = 50; // 2,000 records
const THREADS = 4;
/** Record `round` of every key is stamped T0 + round × 100 ms: 5 windows of 1 s with 10 records each, one session of 4.9 s. */
const T0 = 1_700_000_000_000;
const WINDOWS = 5;

function disjointTasks(streams: ThreadedStreams): string[] {
  const all = streams.threads().flatMap((t) => t.tasks);
  assert.is(new Set(all).size, all.length, `a task on two threads: ${JSON.stringify(streams.threads())}`);
  return all.sort();
}

async function produceStamped(brokers: string[], topic: string): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  const messages = [];
  for (let round = 0; round < PER_KEY; round++) {
    for (let k = 0; k < KEYS; k++) messages.push({ key: `key-${k}`, value: `v${round}`, timestamp: String(T0 + round * 100) });
  }
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

forEachBroker('test/runtime/threads.test.ts', (test, brokerList) => {
  test('four threads in one instance count every record once, each task on one thread, and the query server reads every thread\'s key-value, window and session stores', async () => {
    const brokers = brokerList();
    const input = uniqueName('thr-in'), output = uniqueName('thr-out'), applicationId = uniqueName('thr-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const server = await openQueryServer({ port: 0 });
    const streams = threaded({ input, output, windowed: true }, { applicationId, brokers, applicationServer: server.applicationServer, numStreamThreads: THREADS });
    server.attach(streams);
    try {
      await streams.start();
      assert.is(streams.state, 'RUNNING');
      // start() resolves on the assignment the threads run: each task listed by one thread, at once.
      assert.equal(disjointTasks(streams), ['0_0', '0_1', '0_2', '0_3']);
      await produceStamped(brokers, input);
      await waitFor('2,000 records processed', () => streams.metrics().processed >= KEYS * PER_KEY);
      assert.is(streams.metrics().processed, KEYS * PER_KEY);
      assert.equal(disjointTasks(streams), ['0_0', '0_1', '0_2', '0_3']);
      assert.equal(streams.threads().map((t) => t.tasks.length), [1, 1, 1, 1]);
      // Stores take their writes at the commit after processing: wait for the last one.
      await waitFor('2,000 counts in the stores', async () => (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0) === KEYS * PER_KEY);
      const totals = await streams.queryThreads<number>('total');
      assert.is(totals.length, THREADS);
      assert.ok(totals.every((n) => n > 0), `every thread holds counts: ${totals}`);
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
      assert.is(entries.length, KEYS, 'a paged scan sees every key of every thread once');
      assert.is(new Set(entries.map((e) => e.key)).size, KEYS);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      for (let t = 0; t < THREADS; t++) assert.match(metrics, new RegExp(`modelstream_thread_tasks\\{thread="${t}"\\} 1`));
      assert.match(metrics, new RegExp(`modelstream_records_processed_total ${KEYS * PER_KEY}`));
      const latest = await readLatest(brokers, output, KEYS * PER_KEY);
      for (let k = 0; k < KEYS; k++) assert.is(latest.get(`key-${k}`), PER_KEY);

      // Window and session stores, read on the key's thread and over every thread.
      const expectedWindows = Array.from({ length: WINDOWS }, (_, w) => ({ windowStart: T0 + w * 1000, value: PER_KEY / WINDOWS, timestamp: T0 + w * 1000 + 900 }));
      for (const k of [0, 13, 27, 39]) {
        const key = `key-${k}`;
        assert.equal(await streams.queryStore<string, number, { kind: 'windowFetch'; key: string; from: number; to: number }>('windowed', { kind: 'windowFetch', key, from: 0, to: Number.MAX_SAFE_INTEGER }, S), expectedWindows, key);
        assert.equal((await streams.queryStore<string, number, { kind: 'sessionFetch'; key: string }>('sessions', { kind: 'sessionFetch', key }, S)).map((s) => [s.key.window.start, s.key.window.end, s.value]), [[T0, T0 + (PER_KEY - 1) * 100, PER_KEY]], key);
        const windows = (await (await fetch(`${server.url}/stores/windowed/windows/${key}?from=${T0 + 1000}&to=${T0 + 2000}`)).json()) as { windows: { start: number; value: number }[] };
        assert.equal(windows.windows.map((w) => [w.start, w.value]), [[T0 + 1000, 10], [T0 + 2000, 10]], `${key} windows over HTTP`);
        const sessions = (await (await fetch(`${server.url}/stores/sessions/sessions/${key}`)).json()) as { sessions: { start: number; end: number; value: number }[] };
        assert.equal(sessions.sessions, [{ start: T0, end: T0 + (PER_KEY - 1) * 100, value: PER_KEY }], `${key} sessions over HTTP`);
      }
      // Every thread holds a 'probe' window and session valued its partition: a keyed read that
      // reaches only the key's own thread answers with that one.
      const probePartition = streams.queryMetadataForKey('windowed', PROBE_KEY, S)!.partition;
      assert.equal((await streams.queryStore<string, number, { kind: 'windowFetch'; key: string; from: number; to: number }>('windowed', { kind: 'windowFetch', key: PROBE_KEY, from: 0, to: Number.MAX_SAFE_INTEGER }, S)).map((w) => [w.windowStart, w.value]), [[PROBE_AT, probePartition]], 'windowFetch on the key\'s thread only');
      assert.equal((await streams.queryStore<string, number, { kind: 'sessionFetch'; key: string }>('sessions', { kind: 'sessionFetch', key: PROBE_KEY }, S)).map((s) => s.value), [probePartition], 'sessionFetch on the key\'s thread only');
      const allWindows = await streams.queryStore<string, number, { kind: 'windowFetchAll'; from: number; to: number }>('windowed', { kind: 'windowFetchAll', from: T0, to: T0 + 4000 });
      assert.is(allWindows.length, KEYS * WINDOWS);
      assert.is(allWindows.reduce((n, e) => n + e.value, 0), KEYS * PER_KEY);
      assert.is((await streams.queryStore<string, number, { kind: 'sessionAll' }>('sessions', { kind: 'sessionAll' })).length, KEYS + THREADS, 'every key\'s session and each thread\'s probe');
      const everyWindow = (await (await fetch(`${server.url}/stores/windowed/windows?from=${T0}&to=${T0 + 4000}&scope=all`)).json()) as { windows: { key: string }[] };
      assert.is(everyWindow.windows.length, KEYS * WINDOWS, 'every thread\'s windows over HTTP');
      const everySession = (await (await fetch(`${server.url}/stores/sessions/sessions`)).json()) as { sessions: { key: string; value: number }[] };
      everySession.sessions = everySession.sessions.filter((s) => s.key !== PROBE_KEY);
      assert.equal(new Set(everySession.sessions.map((s) => s.key)).size, KEYS, 'every thread\'s sessions over HTTP');
      assert.ok(everySession.sessions.every((s) => s.value === PER_KEY));
    } finally {
      await server.close();
      await streams.close();
    }
    assert.is(streams.state, 'NOT_RUNNING');
  });
});
