import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, produceKeys, waitFor } from './fixtures.ts';
import type { StreamsState } from '../../lib/index.ts';
import { threaded } from './fixtures/threaded.ts';

forEachBroker('test/runtime/threads-failure.test.ts', (test, brokerList) => {
  test('a thread that dies of a fatal processing error takes the instance to ERROR with its cause', async () => {
    const brokers = brokerList();
    const input = uniqueName('thr3-in'), output = uniqueName('thr3-out'), applicationId = uniqueName('thr3-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const streams = threaded({ input, output, poisonKey: 'key-3' }, { applicationId, brokers, numStreamThreads: 2 });
    const seen: { next: StreamsState; error?: Error }[] = [];
    streams.onStateChange((next, _previous, error) => seen.push({ next, ...(error ? { error } : {}) }));
    try {
      await streams.start();
      await produceKeys(brokers, input, 5, 1);
      await waitFor('ERROR', () => streams.state === 'ERROR', 30_000);
      const failure = seen.find((s) => s.next === 'ERROR');
      assert.ok(failure?.error, 'the listener got the cause');
      assert.match(failure!.error!.message, /stream thread \d failed/);
      assert.match(String(describeCauses(failure!.error!)), /poisoned record key-3/);
    } finally {
      await streams.close();
    }
  });

  test('with replace-thread a dead thread is replaced and the instance runs on', async () => {
    const brokers = brokerList();
    const input = uniqueName('thr4-in'), output = uniqueName('thr4-out'), applicationId = uniqueName('thr4-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }]);
    const streams = threaded({ input, output, poisonKey: 'never' }, { applicationId, brokers, numStreamThreads: 2, streamThreadFailure: 'replace-thread' });
    try {
      await streams.start();
      await produceKeys(brokers, input, 10, 10);
      await waitFor('100 records', () => streams.metrics().processed >= 100);
      // The fault: the worker of thread 1 ends as if by a crash of its own.
      await streams.queryThreads('crash').catch(() => {});
      await waitFor('a replacement thread running', () => streams.replacedThreads === 1 && streams.state === 'RUNNING' && streams.threads().every((t) => t.state === 'RUNNING'));
      await produceKeys(brokers, input, 10, 10);
      await waitFor('200 records counted', async () => (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0) === 200);
    } finally {
      await streams.close();
    }
  });
});

function describeCauses(err: Error): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join(' <- ');
}
