// ONNX Runtime vs TensorFlow.js on the same network: the demo ONNX model (data/models/wine-onnx.onnx,
// the weights of data/models/wine-tf.pb) and the demo graph, over every row of data/wine.csv, in
// the same process: one `score` call per record, and `scoreBatch` in batches (per-record time =
// batch time / records in the batch). Figures in µs per record, median and p99; TF.js is the peer.
// Run: node --import tsx bench/onnx.ts [--quick] [--batch 256] [--passes 10]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emitFigures, type Figure } from './table.ts';
import { loadOnnx, loadTensorFlow, tensorflowBackend, type FeatureRecord, type Model } from '../lib/models/index.ts';
import { parseCli } from './cli.ts';

const FEATURES = Array.from({ length: 11 }, (_, i) => `f${i}`);
const data = (path: string) => fileURLToPath(new URL(`../data/${path}`, import.meta.url));

const { values } = parseCli({
  script: 'bench/onnx.ts',
  summary: 'ONNX Runtime vs TensorFlow.js on the demo network over every row of data/wine.csv: µs per\nrecord, median and p99, single score calls and scoreBatch; TF.js is the peer.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'accepted and ignored (no broker is used)' },
    batch: { type: 'string', value: 'count', description: 'records per scoreBatch call', defaultText: '256' },
    passes: { type: 'string', value: 'count', description: 'passes over the records per mode', defaultText: '10; 2 with --quick' },
  },
  examples: ['node --import tsx bench/onnx.ts --quick --batch 64'],
});
const batchSize = Number(values.batch ?? 256);
const passes = Number(values.passes ?? (values.quick ? 2 : 10));
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

const onnx = await loadOnnx(readFileSync(data('models/wine-onnx.onnx')), { features: FEATURES });
const tf = await loadTensorFlow(readFileSync(data('models/wine-tf.pb')), { features: FEATURES });
const backend = (await tensorflowBackend()).name;
const o = measure(onnx), t = measure(tf);
onnx.close();
tf.close();
const group = 'ONNX Runtime vs TensorFlow.js, demo network per record';
const figures: Figure[] = [];
for (const [label, q] of [['p50', 0.5], ['p99', 0.99]] as const) {
  figures.push({ group, name: `single calls, ${label}`, unit: 'µs', ours: quantile(o.single, q), peer: { name: `TF.js ${backend}`, value: quantile(t.single, q) } });
  figures.push({ group, name: `batches of ${batchSize}, ${label}`, unit: 'µs', ours: quantile(o.batched, q), peer: { name: `TF.js ${backend}`, value: quantile(t.batched, q) } });
}
console.error(`[bench] ${records.length} records, ${passes} passes: ${JSON.stringify(figures)}`);
emitFigures(figures);
