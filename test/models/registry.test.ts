import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toGraphArtifacts } from '../../lib/models/tensorflow/graphdef.ts';
import { fileURLToPath } from 'node:url';
import { ModelRegistry, pmmlFactory, tensorflowFactory, type ModelSource } from '../../lib/models/registry.ts';
import { ModelLoadError, type Model } from '../../lib/models/api/model.ts';
import { SEED, seedGraph, seedRows, asRecord } from './tensorflow/seed.ts';
import { needs, seed, seedFile } from '../requirements.ts';

// The application picks the type numbers; these are the serving app's (ModelDescriptor.ModelType).
const ModelType = { TENSORFLOW: 0, PMML: 1 } as const;
const models = new ModelRegistry().register(ModelType.TENSORFLOW, tensorflowFactory(SEED)).register(ModelType.PMML, pmmlFactory());
const modelFromDescriptor = (descriptor: ModelSource, registry: ModelRegistry = models) => registry.load(descriptor);
type ModelDescriptor = ModelSource;

// The tests that load or score the seed graph, or read the seed CSV, need the seed data.
const withSeed = needs(seed);
const seedPath = seedFile('optimized_WineQuality.pb');
const firstRow = () => asRecord(seedRows()[0]!.features);
const header = { name: 'wine-tf', description: 'seed graph', dataType: 'wine' };

async function loadError(descriptor: ModelDescriptor, registry?: ModelRegistry): Promise<ModelLoadError> {
  const error = await modelFromDescriptor(descriptor, registry).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ModelLoadError, `a ModelLoadError, got ${String(error)}`);
  return error as ModelLoadError;
}

withSeed('a TensorFlow model passed by value loads and scores', async () => {
  const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, data: seedGraph() });
  assert.is(model.kind, 'tensorflow');
  assert.equal(model.score(firstRow()), { value: 5 });
  model.close();
});

withSeed('a TensorFlow model passed by location loads and scores', async () => {
  const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, location: seedPath });
  assert.equal(model.score(firstRow()), { value: 5 });
  model.close();
});

withSeed('a TensorFlow location that is a tfjs model directory loads as model.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-registry-'));
  try {
    const { topology, weightSpecs, weightData } = toGraphArtifacts(seedGraph());
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: weightSpecs }],
    }));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(weightData));
    const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, location: dir });
    assert.equal(model.score(firstRow()), { value: 5 });
    model.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown model type is a ModelLoadError naming the type and the model', async () => {
  const error = await loadError({ ...header, modelType: 7, data: new Uint8Array([1, 2, 3]) });
  assert.match(error.message, /model 'wine-tf'.*unknown model type 7/);
});

test('a location that does not exist is a ModelLoadError naming the path', async () => {
  const error = await loadError({ ...header, modelType: ModelType.TENSORFLOW, location: '/nonexistent/wine.pb' });
  assert.match(error.message, /location '\/nonexistent\/wine\.pb' does not exist/);
});

test('broken model bytes are a ModelLoadError naming the model and its kind', async () => {
  const error = await loadError({ ...header, modelType: ModelType.TENSORFLOW, data: new TextEncoder().encode('not a graph at all') });
  assert.match(error.message, /model 'wine-tf' for dataType 'wine' \(TensorFlow\) cannot be loaded: not a TensorFlow GraphDef/);
  assert.ok(error.cause instanceof ModelLoadError);
});

test('a registered factory serves its own model type, and another registry is untouched', async () => {
  const stub: Model = { kind: 'pmml', score: () => ({ value: 42 }), scoreBatch: () => [], close: () => undefined };
  const seen: number[] = [];
  const registry = new ModelRegistry().register(ModelType.TENSORFLOW, tensorflowFactory(SEED)).register(9, {
    name: 'Answer', fromData: (data) => { seen.push(data.length); return stub; },
  });
  const model = await modelFromDescriptor({ ...header, modelType: 9, data: new Uint8Array(3) }, registry);
  assert.is(model.score({ alcohol: 9.4 }).value, 42);
  assert.equal(seen, [3]);
  assert.equal(registry.types(), [0, 9]);
  assert.equal(models.types(), [ModelType.TENSORFLOW, ModelType.PMML]);
});

withSeed('a factory without fromLocation gets the file bytes', async () => {
  const registry = new ModelRegistry().register(5, {
    name: 'Bytes', fromData: (data) => ({ kind: 'pmml', score: () => ({ value: data.length }), scoreBatch: () => [], close: () => undefined }),
  });
  const model = await modelFromDescriptor({ ...header, modelType: 5, location: seedPath }, registry);
  assert.is(model.score({}).value, readFileSync(seedPath).length);
});

withSeed('a PMML model passed by location loads through loadPmml', async () => {
  const location = fileURLToPath(new URL('../../data/models/wine-tree-classification.pmml', import.meta.url));
  const model = await modelFromDescriptor({ ...header, modelType: ModelType.PMML, location });
  assert.is(model.kind, 'pmml');
  assert.type(model.score(firstRow()).value, 'number');
  model.close();
});

test('a model source without a dataType is named by its name alone', async () => {
  const error = await loadError({ name: 'bare', modelType: 7, data: new Uint8Array(1) });
  assert.match(error.message, /^model 'bare': unknown model type 7/);
});

test.run();
