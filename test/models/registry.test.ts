import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toGraphArtifacts } from '../../lib/models/tensorflow/graphdef.ts';
import { fileURLToPath } from 'node:url';
import { modelFromDescriptor, ModelRegistry, modelRegistry, tensorflowFactory } from '../../lib/models/registry.ts';
import { ModelType, type ModelDescriptor } from '../../lib/models/proto/messages.ts';
import { ModelLoadError, type Model } from '../../lib/models/api/model.ts';
import { seedGraph, seedRows, asRecord } from './tensorflow/seed.ts';

const seedPath = fileURLToPath(new URL('../../../shared/seed-data/optimized_WineQuality.pb', import.meta.url));
const firstRow = asRecord(seedRows()[0]!.features);
const header = { name: 'wine-tf', description: 'seed graph', dataType: 'wine' };

async function loadError(descriptor: ModelDescriptor, registry?: ModelRegistry): Promise<ModelLoadError> {
  const error = await modelFromDescriptor(descriptor, registry).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ModelLoadError, `a ModelLoadError, got ${String(error)}`);
  return error as ModelLoadError;
}

test('a TensorFlow model passed by value loads and scores', async () => {
  const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, data: seedGraph() });
  assert.is(model.kind, 'tensorflow');
  assert.equal(model.score(firstRow), { value: 5 });
  model.close();
});

test('a TensorFlow model passed by location loads and scores', async () => {
  const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, location: seedPath });
  assert.equal(model.score(firstRow), { value: 5 });
  model.close();
});

test('a TensorFlow location that is a tfjs model directory loads as model.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-registry-'));
  try {
    const { topology, weightSpecs, weightData } = toGraphArtifacts(seedGraph());
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: weightSpecs }],
    }));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(weightData));
    const model = await modelFromDescriptor({ ...header, modelType: ModelType.TENSORFLOW, location: dir });
    assert.equal(model.score(firstRow), { value: 5 });
    model.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown model type is a ModelLoadError naming the type and the model', async () => {
  const error = await loadError({ ...header, modelType: 7, data: seedGraph() });
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

test('a registered factory serves its own model type, and the default registry is untouched', async () => {
  const stub: Model = { kind: 'pmml', score: () => ({ value: 42 }), scoreBatch: () => [], close: () => undefined };
  const seen: number[] = [];
  const registry = new ModelRegistry().register(ModelType.TENSORFLOW, tensorflowFactory()).register(9, {
    name: 'Answer', fromData: (data) => { seen.push(data.length); return stub; },
  });
  const model = await modelFromDescriptor({ ...header, modelType: 9, data: new Uint8Array(3) }, registry);
  assert.is(model.score(firstRow).value, 42);
  assert.equal(seen, [3]);
  assert.equal(registry.types(), [0, 9]);
  assert.equal(modelRegistry.types(), [ModelType.TENSORFLOW, ModelType.PMML]);
});

test('a factory without fromLocation gets the file bytes', async () => {
  const registry = new ModelRegistry().register(5, {
    name: 'Bytes', fromData: (data) => ({ kind: 'pmml', score: () => ({ value: data.length }), scoreBatch: () => [], close: () => undefined }),
  });
  const model = await modelFromDescriptor({ ...header, modelType: 5, location: seedPath }, registry);
  assert.is(model.score({}).value, readFileSync(seedPath).length);
});

// The PMML evaluator is written alongside: until lib/models/pmml/index.ts exists, a PMML
// descriptor must fail with a clear ModelLoadError rather than crash.
const pmmlReady = existsSync(fileURLToPath(new URL('../../lib/models/pmml/index.ts', import.meta.url)));
test(`a PMML model passed by location ${pmmlReady ? 'loads through loadPmml' : 'is a clear ModelLoadError while PMML is absent'}`, async () => {
  const location = fileURLToPath(new URL('../../../shared/seed-data/winequalityDecisionTreeClassification.pmml', import.meta.url));
  const descriptor: ModelDescriptor = { ...header, modelType: ModelType.PMML, location };
  if (!pmmlReady) {
    assert.match((await loadError(descriptor)).message, /\(PMML\) cannot be loaded: PMML support is not available/);
    return;
  }
  const model = await modelFromDescriptor(descriptor);
  assert.is(model.kind, 'pmml');
  assert.type(model.score(firstRow).value, 'number');
  model.close();
});

test.run();
