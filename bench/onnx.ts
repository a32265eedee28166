// ONNX Runtime vs TensorFlow.js on the same network: the demo ONNX model (data/models/wine-onnx.onnx,
// the weights of data/models/wine-tf.pb) and the demo graph, over every row of data/wine.csv, in
// the same process: one `score` call per record, and `scoreBatch` in batches (per-record time =
// batch time / records in the batch). Figures in µs per record, median and p99.
//   node --import tsx bench/onnx.ts [--batch 256] [--passes 10]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadOnnx, loadTensorFlow, tensorflowBackend, type FeatureRecord, type Model } from '../lib/models/index.ts';

const FEATURES = Array.from({ length: 11 }, (_, i) => `f${i}`);
const data = (path: string) => fileURLToPath(new URL(`../data/${path}`, import.meta.url));

const { values } = parseArgs({ options: { batch: { type: 'string' }, passes: { type: 'string' } } });
const batchSize = Number(values.batch ?? 256);
const passes = Number(values.passes ?? 10);
const records: FeatureRecord[] = readFileSync(data('wine.csv'), 'utf8').trim().split('\n')
  .map((line) => Object.fromEntries(line.split(';').slice(0, 11).map((v, i) => [FEATURES[i]!, Number(v)])));

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function measure(model: Model): { single: number[]; batched: number[] } {
  for (let i = 0; i < 300; i++) model.score(records[i % records.length]!); // warm-up: JIT and runtime caches
  for (let i = 0; i < 20; i++) model.scoreBatch(records.slice(0, batchSize));
  const single: number[] = [];
  for (let p = 0; p < Math.max(1, passes / 5); p++) {
    for (const record of records) {
      const t0 = process.hrtime.bigint();
      model.score(record);
      single.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
  }
  const batched: number[] = [];
  for (let p = 0; p < passes; p++) {
    for (let at = 0; at < records.length; at += batchSize) {
      const batch = records.slice(at, at + batchSize);
      const t0 = process.hrtime.bigint();
      model.scoreBatch(batch);
      batched.push(Number(process.hrtime.bigint() - t0) / 1e3 / batch.length);
    }
  }
  return { single: single.sort((a, b) => a - b), batched: batched.sort((a, b) => a - b) };
}

const models: [string, Model][] = [
  ['onnx  data/models/wine-onnx.onnx', await loadOnnx(readFileSync(data('models/wine-onnx.onnx')), { features: FEATURES })],
  [`tfjs  data/models/wine-tf.pb (${(await tensorflowBackend()).name})`, await loadTensorFlow(readFileSync(data('models/wine-tf.pb')), { features: FEATURES })],
];
const f = (us: number) => us.toFixed(2).padStart(10);
console.log(`per-record scoring, µs, ${records.length} records, batches of ${batchSize}, ${passes} passes`);
console.log(`${'model'.padEnd(38)} ${'single p50'.padStart(10)} ${'single p99'.padStart(10)} ${'batch p50'.padStart(10)} ${'batch p99'.padStart(10)}`);
const summary: string[] = [];
for (const [label, model] of models) {
  const { single, batched } = measure(model);
  model.close();
  console.log(`${label.padEnd(38)} ${f(quantile(single, 0.5))} ${f(quantile(single, 0.99))} ${f(quantile(batched, 0.5))} ${f(quantile(batched, 0.99))}`);
  summary.push(`${label.split(' ')[0]} ${quantile(single, 0.5).toFixed(1)}/${quantile(batched, 0.5).toFixed(2)} µs`);
}
console.log(`median single/batched: ${summary.join(', ')}`);
