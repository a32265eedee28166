// Latency percentiles and the shadow series, through the serving routes and the serving metrics
// over a topology run by the test driver: p50/p99 per model in /state/{dataType} and /models, and
// /metrics with one series per model and role.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry } from 'prom-client';
import type { KafkaStreams } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import { encodeModelDescriptor, ModelType, type ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { buildServingTopology, type ModelsView } from '../../../topologies/index.ts';
import { servingRoutes } from '../../../topologies/http/routes.ts';
import { registerServingMetrics } from '../../../topologies/http/metrics.ts';
import { shadowsIdle } from '../../../topologies/serving/shadow-scorer.ts';
import { loadModel, ODD_MODELS } from '../serving/odd-models.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';

const onnx = (name: string): ModelDescriptor => ({
  name, description: 'shadow', dataType: 'wine', modelType: ModelType.ONNX, role: 'shadow',
  data: readFileSync(new URL('../../../data/models/wine-onnx.onnx', import.meta.url)),
});

/** A tree champion, an ONNX shadow and one that throws, after `n` records. */
async function served(n: number) {
  const serving = buildServingTopology('kv', { log: () => {}, loadModel, shadow: { loaderModule: ODD_MODELS } });
  const driver = new TopologyTestDriver(serving.topology, { applicationId: 'latency-metrics' });
  const models = driver.createInputTopic(serving.topics.models, serdes.string, serdes.bytes);
  const data = driver.createInputTopic(serving.topics.data, serdes.string, serdes.wine);
  for (const d of [pmmlDescriptor(files.tree, 'wine', 'tree', 'champion'), onnx('onnx'), onnx('throws')]) await models.pipeInput('wine', encodeModelDescriptor(d));
  for (const r of wineRecords(n)) await data.pipeInput(null, r);
  await shadowsIdle();
  await driver.advanceWallClockTime(100);
  const target = () => ({ streams: driverStores(driver) as unknown as KafkaStreams, serving });
  const app = servingRoutes({ target, self: () => ({ host: '127.0.0.1', port: 1 }) });
  const registry = new Registry();
  registerServingMetrics(registry, target);
  return { app, registry, close: () => driver.close() };
}

// One served topology for both tests (building it compiles three models twice: here and in the shadow thread).
const RECORDS = 8;
let h: Awaited<ReturnType<typeof served>>;
test.before(async () => { h = await served(RECORDS); });
test.after(async () => { await h.close(); });

test('GET /state/{dataType} and /models give p50 and p99 per model, between its min and max', async () => {
  const state = await (await h.app.request('/state/wine')).json() as ModelsView;
  const models = (await (await h.app.request('/models')).json() as { dataTypes: ModelsView[] }).dataTypes;
  assert.equal(models[0]!.current.p50, state.current.p50);
  for (const m of [state.current, state.current.roles!.find((r) => r.name === 'onnx')!]) {
    assert.ok(typeof m.p50 === 'number' && typeof m.p99 === 'number', `${m.name}: ${m.p50} ${m.p99}`);
    assert.ok(m.min <= m.p50! && m.p50! <= m.p99! && m.p99! <= m.max, `${m.name}: ${m.min} ≤ ${m.p50} ≤ ${m.p99} ≤ ${m.max}`);
    assert.is(Object.values(m.latency ?? {}).reduce((a, b) => a + b, 0), RECORDS, 'every record in the histogram');
  }
});

test('/metrics has latency quantiles per model and role, and agreement, compared and errors per shadow', async () => {
  const text = await h.registry.metrics();
  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const shadow = (model: string) => `{dataType="wine",model="${model}",role="shadow"}`;
  assert.ok(value('modelstream_model_latency_seconds{dataType="wine",model="tree",role="champion",quantile="0.99"}')! > 0, text);
  assert.ok(value('modelstream_model_latency_seconds{dataType="wine",model="onnx",role="shadow",quantile="0.5"}')! > 0);
  assert.is(value(`modelstream_shadow_compared_total${shadow('onnx')}`), RECORDS);
  assert.is(value(`modelstream_role_invocations_total${shadow('onnx')}`), RECORDS);
  const agreement = value(`modelstream_shadow_agreement_ratio${shadow('onnx')}`)!;
  assert.ok(agreement >= 0 && agreement <= 1);
  assert.is(value(`modelstream_shadow_agreed_total${shadow('onnx')}`), Math.round(agreement * RECORDS));
  assert.is(value(`modelstream_shadow_errors_total${shadow('throws')}`), RECORDS);
  assert.is(value(`modelstream_shadow_skipped_total${shadow('throws')}`), 0);
});

test.run();
