import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import * as tf from '@tensorflow/tfjs';
import { loadTensorFlow } from '../../../lib/models/tensorflow/index.ts';
import { decodeGraphDef, encodeGraphDef } from '../../../lib/models/tensorflow/graphdef.ts';
import { ModelLoadError, RecordError, type Prediction } from '../../../lib/models/api/model.ts';
import { WINE_FEATURES } from '../../../topologies/codecs/messages.ts';
import { SEED, seedGraph, seedRows, asRecord } from './seed.ts';
import { needs, present, seed } from '../../requirements.ts';

// Every test here runs on the seed graph and CSV.
const it = needs(seed);
let rows: ReturnType<typeof seedRows>;
let model: Awaited<ReturnType<typeof loadTensorFlow>>;
if (present(seed)) {
  test.before(async () => {
    rows = seedRows();
    model = await loadTensorFlow(seedGraph(), SEED);
  });
}

// An independent evaluation of the seed graph: its Const tensors read straight off the wire
// (GraphDef.node = 1, NodeDef.name = 1 / attr = 5, AttrValue.tensor = 8, TensorProto.tensor_content = 4)
// and the dense layers computed in float64 plain JS.
function seedWeights(): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const fields = (bytes: Uint8Array, visit: (id: number, r: protobuf.Reader) => boolean) => {
    const r = protobuf.Reader.create(bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (!visit(tag >>> 3, r)) r.skipType(tag & 7);
    }
  };
  fields(seedGraph(), (id, r) => {
    if (id !== 1) return false;
    const node = r.bytes();
    let name = '', content: Uint8Array | undefined;
    fields(node, (nid, nr) => {
      if (nid === 1) { name = nr.string(); return true; }
      if (nid !== 5) return false;
      fields(nr.bytes(), (eid, er) => {
        if (eid !== 2) return false;
        fields(er.bytes(), (aid, ar) => {
          if (aid !== 8) return false;
          fields(ar.bytes(), (tid, tr) => {
            if (tid !== 4) return false;
            content = Uint8Array.from(tr.bytes()); // a copy: Buffer.slice would be a view
            return true;
          });
          return true;
        });
        return true;
      });
      return true;
    });
    if (content) out.set(name, new Float32Array(content.buffer));
    return true;
  });
  return out;
}

function denseArgmax(w: Map<string, Float32Array>, x: readonly number[]): { best: number; margin: number } {
  const layer = (input: number[], k: string, b: string, act: (v: number) => number) => {
    const kernel = w.get(k)!, bias = w.get(b)!;
    const out = Array.from(bias, Number);
    for (let j = 0; j < out.length; j++) {
      for (let i = 0; i < input.length; i++) out[j]! += input[i]! * kernel[i * out.length + j]!;
    }
    return out.map(act);
  };
  const relu = (v: number) => Math.max(0, v);
  const h1 = layer([...x], 'dense_1/kernel', 'dense_1/bias', relu);
  const h2 = layer(h1, 'dense_2/kernel', 'dense_2/bias', relu);
  const y = layer(h2, 'dense_3/kernel', 'dense_3/bias', (v) => 1 / (1 + Math.exp(-v)));
  const sorted = [...y].sort((a, b) => b - a);
  return { best: y.indexOf(sorted[0]!), margin: sorted[0]! - sorted[1]! };
}

it('the first CSV row is class 5', () => {
  assert.equal(model.score(asRecord(rows[0]!.features)), { value: 5 });
});

it('batched argmax equals an independent float64 evaluation of the weights on all 1599 rows', () => {
  const weights = seedWeights();
  assert.equal([...weights.keys()].sort(), ['dense_1/bias', 'dense_1/kernel', 'dense_2/bias', 'dense_2/kernel', 'dense_3/bias', 'dense_3/kernel']);
  const outcomes = model.scoreBatch(rows.map((r) => asRecord(r.features)));
  let compared = 0;
  rows.forEach((row, i) => {
    const expected = denseArgmax(weights, row.features);
    const outcome = outcomes[i]!;
    assert.is(outcome.kind, 'scored');
    // float32 vs float64 may only differ on a near-tie.
    if (expected.margin < 1e-5) return;
    compared++;
    assert.is(outcome.kind === 'scored' && outcome.prediction.value, expected.best, `row ${i}`);
  });
  assert.ok(compared > 1590, `compared ${compared}`);
});

it('a batch gives what single calls give', () => {
  const sample = rows.filter((_, i) => i % 97 === 0).map((r) => asRecord(r.features));
  const batch = model.scoreBatch(sample);
  sample.forEach((record, i) => assert.equal(batch[i], { kind: 'scored', prediction: model.score(record) }));
});

it('records with the proto field names score like PMML-named ones', () => {
  const proto = Object.fromEntries(WINE_FEATURES.map((name, i) => [name, rows[3]!.features[i]!]));
  assert.equal(model.score(proto), model.score(asRecord(rows[3]!.features)));
});

it('a record with a NaN or a missing feature fails alone in its batch', () => {
  const good = asRecord(rows[0]!.features);
  const { pH: _drop, ...noPh } = good;
  const outcomes = model.scoreBatch([good, { ...good, alcohol: Number.NaN }, noPh, good]);
  assert.equal(outcomes.map((o) => o.kind), ['scored', 'failed', 'failed', 'scored']);
  const errors = outcomes.flatMap((o) => (o.kind === 'failed' ? [o.error] : []));
  assert.ok(errors.every((e) => e instanceof RecordError));
  assert.match(errors[0]!.message, /'alcohol' is not a finite number/);
  assert.match(errors[1]!.message, /'pH' is missing/);
});

it('score throws a RecordError for a bad record', () => {
  assert.throws(() => model.score({ ...asRecord(rows[0]!.features), density: 'heavy' }), (e: unknown) => e instanceof RecordError && /density/.test(e.message));
});

it('scoring leaves no tensors behind', () => {
  const before = tf.memory().numTensors;
  const batch = rows.slice(0, 256).map((r) => asRecord(r.features));
  for (let i = 0; i < 20; i++) { model.scoreBatch(batch); model.score(batch[i]!); }
  assert.is(tf.memory().numTensors, before);
});

it('outputName and a custom post-processing reach the named node', async () => {
  const seen: Float32Array[] = [];
  const logits = await loadTensorFlow(seedGraph(), { ...SEED, outputName: 'dense_3/BiasAdd',
    postProcessing: (outputs): Prediction => { seen.push(outputs.slice()); return { value: outputs.length }; },
  });
  seen.length = 0; // the load-time probe ran it too
  assert.equal(logits.score(asRecord(rows[0]!.features)), { value: 9 });
  assert.ok(seen[0]!.some((v) => v < 0 || v > 1), 'BiasAdd outputs are logits, not sigmoids');
  logits.close();
});

it('raw post-processing on a 9-wide output is rejected at load', async () => {
  await rejects(loadTensorFlow(seedGraph(), { ...SEED, postProcessing: 'raw' }), /'raw' post-processing needs one output value per record; the model gives 9/);
});

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ModelLoadError, `a ModelLoadError, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable('the load should have failed');
}

function mutatedSeed(change: (nodes: any[]) => void): Uint8Array {
  const graph = decodeGraphDef(seedGraph());
  change(graph.node);
  return encodeGraphDef(graph as unknown as { [k: string]: unknown });
}

it('garbage and truncated bytes fail at load', async () => {
  await rejects(loadTensorFlow(new TextEncoder().encode('<PMML version="4.3"></PMML>'), SEED), /not a TensorFlow GraphDef/);
  const seed = seedGraph();
  await rejects(loadTensorFlow(seed.subarray(0, seed.length - 100), SEED), /not a TensorFlow GraphDef/);
  await rejects(loadTensorFlow(new Uint8Array(0), SEED), /no nodes/);
});

it('a missing input or output node is named at load', async () => {
  await rejects(loadTensorFlow(seedGraph(), { ...SEED, inputName: 'features' }), /no input node 'features'/);
  await rejects(loadTensorFlow(seedGraph(), { ...SEED, outputName: 'dense_4/Softmax' }), /no output node 'dense_4\/Softmax'/);
});

it('an op that TensorFlow.js does not know is named at load', async () => {
  const bytes = mutatedSeed((nodes) => { nodes.find((n) => n.name === 'dense_2/Relu').op = 'FancyActivation'; });
  await rejects(loadTensorFlow(bytes, SEED), /unsupported TensorFlow op 'FancyActivation' \(node 'dense_2\/Relu'\)/);
});

it('a node reading an undefined node is named at load', async () => {
  const bytes = mutatedSeed((nodes) => { nodes.find((n) => n.name === 'dense_3/MatMul').input[1] = 'dense_3/kernel_typo'; });
  await rejects(loadTensorFlow(bytes, SEED), /'dense_3\/MatMul' reads 'dense_3\/kernel_typo'/);
});

it('a Const whose bytes do not fit its shape is rejected at load', async () => {
  const bytes = mutatedSeed((nodes) => {
    const tensor = nodes.find((n) => n.name === 'dense_1/bias').attr.value.tensor;
    tensor.tensorContent = tensor.tensorContent.subarray(4);
  });
  await rejects(loadTensorFlow(bytes, SEED), /'dense_1\/bias' holds 44 bytes for shape \[12\]/);
});

it('a graph whose shapes do not take 11 features fails at load, not at the first record', async () => {
  await rejects(loadTensorFlow(seedGraph(), { features: ['alcohol', 'pH'] }), /cannot run on \[n, 2\] float32 input/);
});

it('the backend in use is reported', () => {
  assert.is(model.backend, tf.getBackend());
  assert.ok(['cpu', 'tensorflow'].includes(model.backend));
});

it('a closed model refuses to score', async () => {
  const m = await loadTensorFlow(seedGraph(), SEED);
  m.close();
  assert.throws(() => m.score(asRecord(rows[0]!.features)), /closed/);
});

test.run();
