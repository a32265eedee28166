import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activation, normalize, UndefinedNormalizationError } from '../../../../lib/models/pmml/neural-network/activation.ts';

const close = (actual: number | undefined, expected: number, rel = 1e-14) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

// Definitions as written on the PMML Neural Network page.
const definitions: { [fn: string]: (z: number) => number } = {
  logistic: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => (1 - Math.exp(-2 * z)) / (1 + Math.exp(-2 * z)),
  identity: (z) => z,
  exponential: (z) => Math.exp(z),
  reciprocal: (z) => 1 / z,
  square: (z) => z * z,
  Gauss: (z) => Math.exp(-(z * z)),
  sine: (z) => Math.sin(z),
  cosine: (z) => Math.cos(z),
  Elliott: (z) => z / (1 + Math.abs(z)),
  arctan: (z) => (2 * Math.atan(z)) / Math.PI,
  rectifier: (z) => (z > 0 ? z : 0),
};

for (const [fn, def] of Object.entries(definitions)) {
  test(`${fn} activation matches its PMML definition`, () => {
    const act = activation(fn as 'identity');
    for (const z of [-2.5, -0.3, 0.7, 4]) close(act(z), def(z), 1e-13);
  });
}

test('threshold activation is 1 strictly above the threshold (default 0), else 0', () => {
  const t = activation('threshold', { threshold: 0.5 });
  assert.equal([t(0.4), t(0.5), t(0.6)], [0, 0, 1]);
  const t0 = activation('threshold');
  assert.equal([t0(0), t0(1e-9)], [0, 1]);
});

test('rectifier with leakage scales negative inputs', () => {
  const r = activation('rectifier', { leakage: 0.1 });
  close(r(-2), -0.2);
  close(r(3), 3);
});

test('softmax normalizes the layer slice to exp(y)/Σexp(y), leaving the rest alone', () => {
  const v = Float64Array.from([9, 1, 2, 3, 9]);
  normalize('softmax', v, 1, 4);
  const s = Math.exp(1) + Math.exp(2) + Math.exp(3);
  close(v[1], Math.exp(1) / s);
  close(v[2], Math.exp(2) / s);
  close(v[3], Math.exp(3) / s);
  assert.equal([v[0], v[4]], [9, 9]);
});

test('softmax does not overflow for large outputs', () => {
  const v = Float64Array.from([1000, 1001]);
  normalize('softmax', v, 0, 2);
  close(v[1], 1 / (1 + Math.exp(-1)));
});

test('simplemax divides by the sum', () => {
  const v = Float64Array.from([1, 3]);
  normalize('simplemax', v, 0, 2);
  assert.equal([...v], [0.25, 0.75]);
});

test('none leaves outputs unchanged', () => {
  const v = Float64Array.from([1, 3]);
  normalize('none', v, 0, 2);
  assert.equal([...v], [1, 3]);
});

test('simplemax of outputs summing to zero is an UndefinedNormalizationError', () => {
  assert.throws(() => normalize('simplemax', Float64Array.from([1, -1]), 0, 2), (e: unknown) => e instanceof UndefinedNormalizationError);
});

test.run();
