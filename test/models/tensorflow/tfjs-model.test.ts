import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTensorFlow, loadTensorFlowJs } from '../../../lib/models/tensorflow/index.ts';
import { toGraphArtifacts } from '../../../lib/models/tensorflow/graphdef.ts';
import { ModelLoadError, type ScoreOutcome } from '../../../lib/models/api/model.ts';
import { SEED, seedGraph, seedRows, asRecord } from './seed.ts';
import { needs, present, seed } from '../../requirements.ts';

const dir = mkdtempSync(join(tmpdir(), 'modelstream-tfjs-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// The seed graph and every 16th CSV row; the tests on a missing or escaping model.json need neither.
const withSeed = needs(seed);
let rows: ReturnType<typeof seedRows> = [];
let records: ReturnType<typeof asRecord>[] = [];
if (present(seed)) {
  test.before(() => {
    rows = seedRows().filter((_, i) => i % 16 === 0);
    records = rows.map((r) => asRecord(r.features));
  });
}
const valuesOf = (outcomes: ScoreOutcome[]) => outcomes.map((o) => (o.kind === 'scored' ? o.prediction.value : o.error.message));

function writeModelJson(name: string, modelJson: object, weights: ArrayBuffer): string {
  const at = join(dir, name);
  mkdirSync(at);
  writeFileSync(join(at, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(at, 'weights.bin'), new Uint8Array(weights));
  return at;
}

/** A small layers model with seeded weights, saved through tfjs's own save path. */
async function layersModel(units: number, activation: 'softmax' | 'linear'): Promise<{ model: tf.Sequential; artifacts: tf.io.ModelArtifacts }> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [11], units: 6, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 1, stddev: 0.1 }), biasInitializer: 'ones' }),
      tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.3 }) }),
    ],
  });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return { model, artifacts: artifacts! };
}

function weightBuffer(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  const data = artifacts.weightData!;
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

withSeed('a graph-format model.json scores like the .pb it came from', async () => {
  const { topology, weightSpecs, weightData } = toGraphArtifacts(seedGraph());
  const at = writeModelJson('graph', {
    format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
  }, weightData);
  const fromPb = await loadTensorFlow(seedGraph(), SEED);
  const fromJson = await loadTensorFlowJs(at, SEED); // a directory: its model.json
  assert.equal(valuesOf(fromJson.scoreBatch(records)), valuesOf(fromPb.scoreBatch(records)));
  assert.is(fromJson.outputWidth, 9);
  fromJson.close();
  fromPb.close();
});

withSeed('a layers model.json file gives the argmax of what the model predicts', async () => {
  const { model, artifacts } = await layersModel(4, 'softmax');
  const at = writeModelJson('layers', {
    format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  }, weightBuffer(artifacts));
  const loaded = await loadTensorFlowJs(join(at, 'model.json'), SEED);
  const predicted = (model.predict(tf.tensor2d(rows.map((r) => r.features))) as tf.Tensor).argMax(1).arraySync() as number[];
  assert.equal(valuesOf(loaded.scoreBatch(records)), predicted);
  assert.ok(new Set(predicted).size > 1, 'the fixture should not predict one class only');
  loaded.close();
  model.dispose();
});

withSeed('a layers model from an IOHandler with raw post-processing gives the predicted value', async () => {
  const { model, artifacts } = await layersModel(1, 'linear');
  const loaded = await loadTensorFlowJs(tf.io.fromMemory(artifacts), { ...SEED, postProcessing: 'raw' });
  const predicted = (model.predict(tf.tensor2d([rows[5]!.features])) as tf.Tensor).dataSync()[0];
  assert.equal(loaded.score(records[5]!), { value: predicted });
  loaded.close();
  model.dispose();
});

async function rejects(promise: Promise<unknown>, check: (message: string) => boolean): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ModelLoadError, `a ModelLoadError, got ${String(error)}`);
  assert.ok(check((error as Error).message), (error as Error).message);
}

test('a missing model.json is a ModelLoadError naming the file', async () => {
  const missing = join(dir, 'nowhere', 'model.json');
  await rejects(loadTensorFlowJs(missing, SEED), (m) => m.includes(missing));
});

test('weights paths outside the model directory are refused', async () => {
  const { artifacts } = await layersModel(1, 'linear');
  const at = writeModelJson('escape', {
    format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['../graph/weights.bin'], weights: artifacts.weightSpecs }],
  }, weightBuffer(artifacts));
  await rejects(loadTensorFlowJs(at, SEED), (m) => /leaves the model's directory/.test(m));
});

withSeed('a model.json with several outputs needs the output named', async () => {
  const { topology, weightSpecs, weightData } = toGraphArtifacts(seedGraph());
  topology.node.push({ name: 'extra/Identity', op: 'Identity', input: ['dense_2/Relu'], attr: {} });
  const at = writeModelJson('two-outputs', {
    format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
  }, weightData);
  await rejects(loadTensorFlowJs(at, SEED), (m) => /2 outputs .*name one in the options/.test(m));
  const named = await loadTensorFlowJs(at, { ...SEED, outputName: 'dense_3/Sigmoid' });
  assert.is(named.outputWidth, 9);
  named.close();
});

test.run();
