// ONNX models through ONNX Runtime: the demo model (data/models/wine-onnx.onnx, written by
// data/make-onnx.ts from the TensorFlow graph's weights) against the TensorFlow graph, batching,
// post-processing, and the models that must be refused at load.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { loadOnnx, loadTensorFlow, ModelLoadError, ModelRegistry, onnxFactory, RecordError, encodeDenseOnnx } from '../../../lib/models/index.ts';
import { denseOnnxFromGraphDef } from '../../../lib/models/onnx/from-graphdef.ts';
import { needs, seed } from '../../requirements.ts';
import { SEED, asRecord, seedGraph, seedRows } from '../tensorflow/seed.ts';

const file = (name: string) => new URL(`../../../data/${name}`, import.meta.url);
const onnxBytes = readFileSync(file('models/wine-onnx.onnx'));
const pbBytes = readFileSync(file('models/wine-tf.pb'));
const FEATURES = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'];
const rows = readFileSync(file('wine.csv'), 'utf8').trim().split('\n')
  .map((line) => line.split(';').map(Number)).filter((cells) => cells.every(Number.isFinite));
const records = rows.map((cells) => Object.fromEntries(FEATURES.map((f, i) => [f, cells[i]!])));

const vector = (outputs: Float32Array) => ({ value: Array.from(outputs, (v) => v.toFixed(4)).join(',') });

async function loadError(promise: Promise<unknown>): Promise<ModelLoadError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ModelLoadError);
    return error as ModelLoadError;
  }
  return assert.unreachable('the model loaded') as never;
}

test('the demo ONNX model is what data/make-onnx.ts writes from the demo TensorFlow graph, byte for byte', () => {
  const made = denseOnnxFromGraphDef(pbBytes, { inputName: 'dense_1_input', outputName: 'dense_3/Sigmoid' });
  assert.ok(Buffer.from(made).equals(onnxBytes));
});

test('the ONNX model gives the TensorFlow graph\'s class on every row of the demo data', async () => {
  const onnx = await loadOnnx(onnxBytes, { features: FEATURES });
  const tf = await loadTensorFlow(pbBytes, { features: FEATURES });
  const a = onnx.scoreBatch(records), b = tf.scoreBatch(records);
  assert.ok(records.length >= 1000, `${records.length} rows`);
  const differ = records.filter((_, i) => JSON.stringify(a[i]) !== JSON.stringify(b[i])).length;
  assert.is(differ, 0, `${differ} of ${records.length} rows differ`);
  assert.ok(a.every((o) => o.kind === 'scored'));
  onnx.close();
  tf.close();
});

needs(seed)('the seed TensorFlow graph rewritten as ONNX gives the graph\'s class on every seed row', async () => {
  const onnx = await loadOnnx(denseOnnxFromGraphDef(seedGraph()), SEED);
  const tf = await loadTensorFlow(seedGraph(), SEED);
  const rows = seedRows().map((r) => asRecord(r.features));
  const a = onnx.scoreBatch(rows), b = tf.scoreBatch(rows);
  assert.is(rows.filter((_, i) => JSON.stringify(a[i]) !== JSON.stringify(b[i])).length, 0);
  onnx.close();
  tf.close();
});

test('scoring one record gives what the same record gives in a batch', async () => {
  const model = await loadOnnx(onnxBytes, { features: FEATURES, postProcessing: vector });
  const batch = model.scoreBatch(records.slice(0, 50));
  records.slice(0, 50).forEach((r, i) => assert.equal({ kind: 'scored', prediction: model.score(r) }, batch[i]));
  model.close();
});

test('a record with a missing feature fails alone in its batch', async () => {
  const model = await loadOnnx(onnxBytes, { features: FEATURES });
  const { f3: _dropped, ...missing } = records[1]!;
  const outcomes = model.scoreBatch([records[0]!, missing, records[2]!]);
  assert.equal(outcomes.map((o) => o.kind), ['scored', 'failed', 'scored']);
  assert.instance((outcomes[1] as { error: unknown }).error, RecordError);
  assert.match((outcomes[1] as { error: Error }).error.message, /feature 'f3' is missing/);
  model.close();
});

test('input and output are found by name, and raw post-processing gives the output value', async () => {
  const bytes = encodeDenseOnnx({
    inputName: 'x', outputName: 'y', inputs: 2,
    layers: [{ name: 'd', kernel: new Float32Array([2, 3]), bias: new Float32Array([0.5]), activation: 'linear' }],
  });
  const model = await loadOnnx(bytes, { inputName: 'x', outputName: 'y', features: ['a', 'b'], postProcessing: 'raw' });
  assert.equal(model.score({ a: 1, b: 2 }), { value: 8.5 });
  assert.is(model.kind, 'onnx');
  model.close();
});

test('a truncated model file is refused at load, naming ONNX Runtime\'s reason', async () => {
  const error = await loadError(loadOnnx(onnxBytes.subarray(0, onnxBytes.length - 100), { features: FEATURES }));
  assert.match(error.message, /ONNX Runtime cannot load the model \(2074 bytes\): .*protobuf parsing failed/);
});

test('a wrong input name is refused at load, listing the model\'s inputs', async () => {
  const error = await loadError(loadOnnx(onnxBytes, { features: FEATURES, inputName: 'features' }));
  assert.is(error.message, "the ONNX model has no input 'features' (its inputs: 'dense_1_input')");
});

test('a wrong output name is refused at load', async () => {
  const error = await loadError(loadOnnx(onnxBytes, { features: FEATURES, outputName: 'probabilities' }));
  assert.is(error.message, "the ONNX model has no output 'probabilities' (its outputs: 'dense_3/Sigmoid')");
});

test('a feature list that does not fit the input\'s width is refused at load', async () => {
  const error = await loadError(loadOnnx(onnxBytes, { features: FEATURES.slice(0, 10) }));
  assert.match(error.message, /input 'dense_1_input' has shape \[-1, 11\]; \[n, 10\] is needed for 10 features/);
});

test('raw post-processing of a 9-wide output is refused at load', async () => {
  const error = await loadError(loadOnnx(onnxBytes, { features: FEATURES, postProcessing: 'raw' }));
  assert.match(error.message, /'raw' post-processing needs one output value per record; the model gives 9/);
});

test('the registry loads ONNX by value and by path, and names the model in a load error', async () => {
  const registry = new ModelRegistry().register(2, onnxFactory({ features: FEATURES }));
  const byValue = await registry.load({ name: 'm', modelType: 2, data: onnxBytes });
  const byPath = await registry.load({ name: 'm', modelType: 2, location: file('models/wine-onnx.onnx').pathname });
  assert.equal(byValue.scoreBatch(records.slice(0, 20)), byPath.scoreBatch(records.slice(0, 20)));
  byValue.close();
  byPath.close();
  const error = await loadError(registry.load({ name: 'broken', dataType: 'wine', modelType: 2, data: new Uint8Array([1, 2, 3]) }));
  assert.match(error.message, /^model 'broken' for dataType 'wine' \(ONNX\) cannot be loaded: ONNX Runtime cannot load the model/);
});

test('a closed model refuses to score', async () => {
  const model = await loadOnnx(onnxBytes, { features: FEATURES });
  model.close();
  assert.throws(() => model.score(records[0]!), /closed/);
});

test.run();
