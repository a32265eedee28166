// `serve --threads 2` as the CLI starts it, on both brokers: the instance's /state/* answers add
// up every thread's statistics, and /state/instance lists the instance once with all partitions.
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProvider } from '../../topologies/client/provider.ts';
import { decodeModelSlot } from '../../topologies/serving/model-slot.ts';
import { readWineCsv } from '../../topologies/client/sources.ts';
import type { InstanceInfo } from '../../topologies/http/api.ts';
import type { ModelServingStats } from '../../topologies/api.ts';
import { startThreadedServingInstance, type ThreadedServingInstance } from '../../topologies/cli/serve-threads.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { waitFor } from '../runtime/fixtures.ts';
import { uniqueName } from '../kafka/brokers.ts';

const RECORDS = 200;
const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

forEachBroker('test/integration/threads-serving.test.ts', (test, brokerList) => {
  test('a two-thread kv instance: /state/value counts every record of both threads once, /state/instance lists it once', async () => {
    const brokers = brokerList();
    const topics = { data: uniqueName('thrs-data'), models: uniqueName('thrs-models'), results: uniqueName('thrs-results') };
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-threads-serving-'));
    let instance: ThreadedServingInstance | undefined;
    try {
      instance = await startThreadedServingInstance({
        brokers, kind: 'kv', host: '127.0.0.1', port: 0, partitions: 4, topics, applicationId: uniqueName('thrs-kv'),
        stateDir, log: () => {}, threads: 2,
      });
      const url = instance.server.url;
      assert.equal(instance.streams.threads().map((t) => t.tasks.length), [2, 2]);
      await waitFor('the instance listed once with 4 data partitions', async () => {
        const listed = await json<InstanceInfo[]>(`${url}/state/instance`);
        return listed.length === 1 && listed[0]!.partitions.filter((p) => p.startsWith(topics.data)).length === 4;
      });
      const send = async (plan: Omit<Parameters<typeof startProvider>[0], 'brokers' | 'log'>) => {
        const provider = await startProvider({ brokers, log: () => {}, ...plan });
        await provider.done;
        await provider.stop();
      };
      await send({ models: { topic: topics.models, files: ['data/models/wine-tree-classification.pmml'], loop: false } });
      await send({ models: { topic: topics.models, files: ['data/models/wine-onnx.onnx'], role: 'shadow', loop: false } });
      // Each thread has its own copy of the models store: both must have the models before data comes.
      await waitFor('the champion and its shadow on both threads', async () => {
        const names = await instance!.streams.queryThreads<{ slot?: Uint8Array }>('statsParts', 'wine');
        return names.length === 2 && names.every((p) => p.slot !== undefined && decodeModelSlot(p.slot).shadows?.length === 1);
      });
      // /state/value reads what the threads published, a report interval after the models arrived.
      await waitFor('the champion in /state/value', async () => (await json<ModelServingStats>(`${url}/state/value`)).name === 'wine-tree-classification');
      await send({ records: { topic: topics.data, records: readWineCsv('data/wine.csv'), ratePerSecond: 2000, limit: RECORDS } });
      await waitFor(`${RECORDS} records scored`, async () => (await json<ModelServingStats>(`${url}/state/value`)).invocations >= RECORDS);
      assert.is((await json<ModelServingStats>(`${url}/state/value`)).invocations, RECORDS);
      // Each stream thread hands its shadow batches to a shadow thread of its own.
      await waitFor(`${RECORDS} records shadowed`, async () => (await json<ModelServingStats>(`${url}/state/value`)).roles?.[0]?.compared === RECORDS);
      const shadow = (await json<ModelServingStats>(`${url}/state/value`)).roles![0]!;
      assert.ok(shadow.p50 !== null && shadow.p50 !== undefined && shadow.p50 > 0, `shadow p50 ${shadow.p50}`);
      const perThread = await instance.streams.queryThreads<{ tasks: { invocations: number }[] }>('statsParts', 'wine');
      assert.ok(perThread.every((p) => p.tasks.reduce((n, t) => n + t.invocations, 0) > 0), 'both threads scored records');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(metrics, /modelstream_thread_records_processed_total\{thread="1"\}/);
      assert.match(metrics, new RegExp(`modelstream_model_invocations_total\\{dataType="wine"[^}]*\\} ${RECORDS}`));
    } finally {
      await instance?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
