// Makes data/models/wine-tf.pb, the demo's TensorFlow model: a dense net with the seed graph's
// shapes and node names (dense_1_input [n,11] → 12 relu → 8 relu → 9 sigmoid, dense_3/Sigmoid),
// trained with TensorFlow.js on the project's own wine records and frozen into a GraphDef.
// Deterministic: seeded initializers, no shuffling, the same records every run.
//
//   node --import tsx data/make-tensorflow.ts
//
// Records: data/wine.csv when it exists (11 features then quality; `;` or `,`; an optional
// header), otherwise 1600 records drawn here from a seeded PRNG.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeDenseGraph } from '../lib/models/tensorflow/dense-graph.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const CLASSES = 9; // quality 0..8, as the seed graph's output
const EPOCHS = 60;

interface Row { readonly x: number[]; readonly quality: number }

function readCsv(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const sep = lines[0]!.includes(';') ? ';' : ',';
  const rows = lines.map((l) => l.split(sep).map((c) => Number(c.replace(/"/g, ''))));
  return rows.filter((r) => r.length >= 12 && r.every(Number.isFinite)).map((r) => ({ x: r.slice(0, 11), quality: r[11]! }));
}

/** Mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wine-like records: feature means and spreads of a red wine, quality driven mostly by alcohol, volatile acidity and sulphates. */
function generate(count: number): Row[] {
  const random = prng(20171015);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const spec: [mean: number, sd: number, min: number][] = [
    [8.3, 1.7, 4.6], [0.53, 0.18, 0.12], [0.27, 0.19, 0], [2.5, 1.4, 0.9], [0.087, 0.047, 0.012], [15.9, 10.5, 1],
    [46, 33, 6], [0.9967, 0.0019, 0.99], [3.31, 0.15, 2.74], [0.66, 0.17, 0.33], [10.4, 1.07, 8.4],
  ];
  return Array.from({ length: count }, () => {
    const z = spec.map(() => normal());
    const x = spec.map(([mean, sd, min], i) => Math.max(min, mean + sd * z[i]!));
    const score = 5.6 + 0.5 * z[10]! - 0.3 * z[1]! + 0.25 * z[9]! - 0.1 * z[6]! + 0.45 * normal();
    return { x: x.map((v) => Number(v.toPrecision(4))), quality: Math.min(8, Math.max(3, Math.round(score))) };
  });
}

const csv = here('./wine.csv');
const rows = existsSync(csv) ? readCsv(csv) : generate(1600);
const source = existsSync(csv) ? 'data/wine.csv' : 'seeded generator';
tf.enableProdMode();
await tf.setBackend('cpu');

// Train on standardized features, then fold the standardization into the first layer, so that
// the graph takes raw features as the seed graph does: W' = W / sd (per input row), b' = b - (mean / sd) · W.
const n = rows.length, width = 11;
const mean = Array.from({ length: width }, (_, i) => rows.reduce((s, r) => s + r.x[i]!, 0) / n);
const sd = mean.map((m, i) => Math.sqrt(rows.reduce((s, r) => s + (r.x[i]! - m) ** 2, 0) / n) || 1);
const xs = tf.tensor2d(rows.map((r) => r.x.map((v, i) => (v - mean[i]!) / sd[i]!)));
const ys = tf.oneHot(tf.tensor1d(rows.map((r) => r.quality), 'int32'), CLASSES).toFloat();

const dense = (units: number, activation: 'relu' | 'sigmoid', seed: number, inputShape?: number[]) =>
  tf.layers.dense({ units, activation, ...(inputShape ? { inputShape } : {}), kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'zeros' });
const model = tf.sequential({ layers: [dense(12, 'relu', 1, [width]), dense(8, 'relu', 2), dense(CLASSES, 'sigmoid', 3)] });
model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
await model.fit(xs, ys, { epochs: EPOCHS, batchSize: 64, shuffle: false, verbose: 0 });

const [k1, b1, k2, b2, k3, b3] = model.getWeights().map((w) => w.dataSync() as Float32Array);
const kernel1 = new Float32Array(k1!.length), bias1 = Float32Array.from(b1!);
for (let i = 0; i < width; i++) {
  for (let j = 0; j < 12; j++) {
    kernel1[i * 12 + j] = k1![i * 12 + j]! / sd[i]!;
    bias1[j]! -= (mean[i]! / sd[i]!) * k1![i * 12 + j]!;
  }
}
const graph = encodeDenseGraph({
  inputName: 'dense_1_input', inputs: width,
  layers: [
    { name: 'dense_1', kernel: kernel1, bias: bias1, activation: 'Relu' },
    { name: 'dense_2', kernel: k2!, bias: b2!, activation: 'Relu' },
    { name: 'dense_3', kernel: k3!, bias: b3!, activation: 'Sigmoid' },
  ],
});
const out = here('./models/wine-tf.pb');
writeFileSync(out, graph);

const predicted = (model.predict(xs) as tf.Tensor).argMax(1).dataSync();
const accuracy = rows.filter((r, i) => predicted[i] === r.quality).length / n;
const sha = createHash('sha256').update(graph).digest('hex').slice(0, 16);
console.log(`wrote data/models/wine-tf.pb: ${graph.length} bytes, sha256 ${sha}…; ${n} records from ${source}; training accuracy ${(accuracy * 100).toFixed(1)}%`);
