// A shadow challenger scores on its own thread: one that busy-loops for seconds per batch does
// not delay the champion's answers (compared with a run without it, in the same test), nor fill
// memory (its queue is bounded, the rest dropped and counted), and one that throws is counted as
// errors while every record is answered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import { buildServingTopology } from '../../../topologies/index.ts';
import { ModelType, type ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { SHADOW_MAX_JOBS, shadowsIdle } from '../../../topologies/serving/shadow-scorer.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';
import { loadModel, ODD_MODELS } from './odd-models.ts';

const onnx = (name: string): ModelDescriptor => ({
  name, description: 'the wine network', dataType: 'wine', modelType: ModelType.ONNX, role: 'shadow',
  data: readFileSync(new URL('../../../data/models/wine-onnx.onnx', import.meta.url)),
} as ModelDescriptor);

/** Pipes `n` records one batch each; the slowest record's time from pipe to answer, the total, and the answers. */
async function run(shadow: ModelDescriptor | undefined, n: number, settle = true) {
  const topology = buildServingTopology('kv', { log: () => {}, loadModel, shadow: { budgetMs: 60_000, loaderModule: ODD_MODELS } });
  const driver = new TopologyTestDriver(topology.topology, { applicationId: 'shadow-isolation' });
  try {
    const models = driver.createInputTopic(topology.topics.models, serdes.string, serdes.descriptor);
    const data = driver.createInputTopic(topology.topics.data, serdes.string, serdes.wine);
    const results = driver.createOutputTopic(topology.topics.results, serdes.string, serdes.result);
    await models.pipeInput('wine', pmmlDescriptor(files.tree, 'wine', 'tree', 'a decision tree'));
    if (shadow) await models.pipeInput('wine', shadow);
    const records = wineRecords(n);
    let slowest = 0;
    const started = performance.now();
    for (const r of records) {
      const t = performance.now();
      await data.pipeInput(null, r);
      slowest = Math.max(slowest, performance.now() - t);
    }
    const total = performance.now() - started;
    const answers = results.readRecordsToList().length;
    // A busy shadow is not waited for: closing the driver ends its thread mid-loop.
    if (settle) {
      await shadowsIdle();
      await driver.advanceWallClockTime(100);
    }
    return { slowest, total, answers, role: topology.localStats(driverStores(driver), 'wine')?.roles?.[0] };
  } finally {
    await driver.close();
  }
}

test('a shadow that busy-loops 2 s per batch does not delay the champion\'s answers', async () => {
  const without = await run(undefined, 10);
  // The shadow thread is busy with the first batch for 2 s while the others wait in its queue.
  const withBusy = await run(onnx('busy'), 10, false);
  assert.is(withBusy.answers, 10);
  assert.is(without.answers, 10);
  // On the stream thread the first batch alone would take 2 s; the slack is for a loaded machine.
  assert.ok(withBusy.slowest < 1000, `slowest answer ${withBusy.slowest.toFixed(0)} ms`);
  assert.ok(withBusy.total < without.total + 1000, `${withBusy.total.toFixed(0)} ms with the shadow, ${without.total.toFixed(0)} ms without`);
});

test('a shadow that cannot keep up has its queue bounded: the batches past it are dropped and counted as skipped', async () => {
  const r = await run(onnx('busy'), SHADOW_MAX_JOBS + 8, false);
  assert.is(r.answers, SHADOW_MAX_JOBS + 8);
  // 8 unless the first 2 s batch came back while the others were piped (a very loaded machine).
  const skipped = r.role?.skipped ?? 0;
  assert.ok(skipped > 0 && skipped <= 8, `skipped ${skipped}`);
});

test('a shadow that throws is counted as errors on every record it was given, every record answered', async () => {
  const r = await run(onnx('throws'), 5);
  assert.is(r.answers, 5);
  assert.equal([r.role?.name, r.role?.errors, r.role?.compared, r.role?.invocations], ['throws', 5, 0, 0]);
});

test.run();
