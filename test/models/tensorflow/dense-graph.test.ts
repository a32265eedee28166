import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { loadTensorFlow } from '../../../lib/models/tensorflow/index.ts';
import { encodeDenseGraph } from '../../../lib/models/tensorflow/dense-graph.ts';
import { decodeGraphDef } from '../../../lib/models/tensorflow/graphdef.ts';
import { SEED, seedRows, asRecord } from './seed.ts';
import { needs, seed } from '../../requirements.ts';

const withSeed = needs(seed);

const vector = (outputs: Float32Array) => ({ value: Array.from(outputs).join(',') });

test('without node names the input is the single Placeholder and the output the node nothing reads', async () => {
  const bytes = encodeDenseGraph({
    inputName: 'in', inputs: 2,
    layers: [{ name: 'd', kernel: new Float32Array([1, 0, 0, 2]), bias: new Float32Array([0, -1]), activation: 'Relu' }],
  });
  const model = await loadTensorFlow(bytes, { features: ['a', 'b'], postProcessing: vector });
  assert.equal(model.score({ a: 3, b: 4 }), { value: '3,7' });
  model.close();
});

test('a written dense graph computes relu(x · W + b)', async () => {
  const bytes = encodeDenseGraph({
    inputName: 'in', inputs: 2,
    layers: [{ name: 'd', kernel: new Float32Array([1, 0, 0, 2]), bias: new Float32Array([0, -1]), activation: 'Relu' }],
  });
  const model = await loadTensorFlow(bytes, { inputName: 'in', outputName: 'd/Relu', features: ['a', 'b'], postProcessing: vector });
  assert.equal(model.score({ a: 3, b: 4 }), { value: '3,7' }); // [3, 8] + [0, -1]
  assert.equal(model.score({ a: -3, b: 0.25 }), { value: '0,0' }); // relu of [-3, -0.5]
  model.close();
});

test('a linear last layer ends at its BiasAdd', async () => {
  const bytes = encodeDenseGraph({
    inputName: 'x', inputs: 1,
    layers: [{ name: 'out', kernel: new Float32Array([2]), bias: new Float32Array([0.5]), activation: 'linear' }],
  });
  const model = await loadTensorFlow(bytes, { inputName: 'x', outputName: 'out/BiasAdd', features: ['v'], postProcessing: 'raw' });
  assert.equal(model.score({ v: 4 }), { value: 8.5 });
  model.close();
});

test('a kernel that does not fit the layer is refused', () => {
  assert.throws(() => encodeDenseGraph({
    inputName: 'x', inputs: 3, layers: [{ name: 'd', kernel: new Float32Array(4), bias: new Float32Array(2), activation: 'Relu' }],
  }), /kernel has 4 values, \[3, 2\] needs 6/);
});

const demo = readFileSync(new URL('../../../data/models/wine-tf.pb', import.meta.url));

test('the demo graph has the seed graph\'s node layout', () => {
  const nodes = decodeGraphDef(demo).node.map((n: { name: string; op: string }) => `${n.name}:${n.op}`);
  for (const expected of ['dense_1_input:Placeholder', 'dense_1/kernel:Const', 'dense_2/Relu:Relu', 'dense_3/BiasAdd:BiasAdd', 'dense_3/Sigmoid:Sigmoid']) {
    assert.ok(nodes.includes(expected), expected);
  }
});

withSeed('the demo graph loads with the default options and beats always answering the commonest quality', async () => {
  const model = await loadTensorFlow(demo, SEED);
  assert.is(model.outputWidth, 9);
  const rows = seedRows();
  const outcomes = model.scoreBatch(rows.map((r) => asRecord(r.features)));
  const predicted = outcomes.map((o) => (o.kind === 'scored' ? o.prediction.value : -1));
  const counts = new Map<number, number>();
  rows.forEach((r) => counts.set(r.quality, (counts.get(r.quality) ?? 0) + 1));
  const baseline = Math.max(...counts.values()) / rows.length;
  const accuracy = rows.filter((r, i) => predicted[i] === r.quality).length / rows.length;
  assert.ok(predicted.every((v) => typeof v === 'number' && v >= 3 && v <= 8), 'classes 3..8');
  assert.ok(accuracy > baseline, `accuracy ${accuracy} vs baseline ${baseline}`);
  model.close();
});

test.run();
