import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError } from '../../../../lib/models/api/model.ts';
import { neuralNetworkFamily } from '../../../../lib/models/pmml/neural-network/family.ts';
import { compileWith } from './fake-context.ts';
import { FEATURES, seedPmml, seedRows } from './seed.ts';
import { needs, seed } from '../../../requirements.ts';

const withSeed = needs(seed);

const close = (actual: unknown, expected: number, rel = 1e-12) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

interface RawNeuron { id: string; bias: number; cons: { from: string; weight: number }[] }

/** The seed MLP's layers, read with regular expressions rather than our XML code. */
function rawLayers(xml: string): RawNeuron[][] {
  return [...xml.matchAll(/<NeuralLayer[^>]*>([\s\S]*?)<\/NeuralLayer>/g)].map((layer) =>
    [...(layer[1] as string).matchAll(/<Neuron id="([^"]+)" bias="([^"]+)">([\s\S]*?)<\/Neuron>/g)].map((n) => ({
      id: n[1] as string,
      bias: Number(n[2]),
      cons: [...(n[3] as string).matchAll(/<Con from="([^"]+)" weight="([^"]+)"\/>/g)].map((c) => ({ from: c[1] as string, weight: Number(c[2]) })),
    })));
}

/** A plain forward pass: logistic hidden layers, identity + softmax output (as the seed declares). */
function forward(layers: RawNeuron[][], row: { [k: string]: number }): Map<string, number> {
  const act = new Map<string, number>();
  FEATURES.forEach((f, i) => act.set(`0/${i + 1}`, row[f] as number));
  layers.forEach((layer, li) => {
    const last = li === layers.length - 1;
    const z = layer.map((n) => n.cons.reduce((s, c) => s + c.weight * (act.get(c.from) as number), 0) + n.bias);
    const out = last ? z.map((v) => Math.exp(v)) : z.map((v) => 1 / (1 + Math.exp(-v)));
    const sum = out.reduce((a, b) => a + b, 0);
    layer.forEach((n, i) => act.set(n.id, last ? (out[i] as number) / sum : (out[i] as number)));
  });
  return act;
}

withSeed('seed MLP: every CSV row gets the class probabilities of an independent forward pass, and the most probable class', () => {
  const xml = seedPmml('winequalityMultilayerPerceptron.pmml');
  const layers = rawLayers(xml);
  assert.equal(layers.map((l) => l.length), [10, 20, 6]);
  const { model, slots } = compileWith(neuralNetworkFamily, xml);
  assert.equal(model.labels, ['5', '6', '7', '4', '8', '3']);
  const outputs = ['3/1', '3/2', '3/3', '3/4', '3/5', '3/6']; // NeuralOutputs map these to 5, 6, 7, 4, 8, 3
  for (const row of seedRows()) {
    const act = forward(layers, row);
    const expected = outputs.map((id) => act.get(id) as number);
    const s = model.score(slots(row));
    expected.forEach((p, i) => close(s.probabilities?.[i], p, 1e-10));
    const best = expected.indexOf(Math.max(...expected));
    assert.is(s.value, model.labels[best]);
  }
});

withSeed('seed MLP: a missing feature yields no prediction', () => {
  const { model, slots } = compileWith(neuralNetworkFamily, seedPmml('winequalityMultilayerPerceptron.pmml'));
  assert.is(model.score(slots({ ...(seedRows()[0] as object), pH: null })).value, null);
});

const doc = (nnAttrs: string, body: string, target = '<DataField name="y" optype="continuous" dataType="double"/>') => `<?xml version="1.0"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <DataDictionary>${target}
    <DataField name="x" optype="continuous" dataType="double"/>
    <DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
  </DataDictionary>
  <NeuralNetwork ${nnAttrs}>
    <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/><MiningField name="c"/></MiningSchema>
    <NeuralInputs>
      <NeuralInput id="in1"><DerivedField optype="continuous" dataType="double">
        <NormContinuous field="x"><LinearNorm orig="0" norm="0"/><LinearNorm orig="10" norm="1"/></NormContinuous>
      </DerivedField></NeuralInput>
      <NeuralInput id="in2"><DerivedField optype="continuous" dataType="double"><NormDiscrete field="c" value="b"/></DerivedField></NeuralInput>
    </NeuralInputs>
    ${body}
  </NeuralNetwork>
</PMML>`;

const HIDDEN = `<NeuralLayer>
      <Neuron id="h1" bias="0.2"><Con from="in1" weight="1.5"/><Con from="in2" weight="-0.7"/></Neuron>
    </NeuralLayer>`;

test('a regression network with NormContinuous/NormDiscrete inputs denormalizes its NormContinuous output', () => {
  const body = `${HIDDEN}
    <NeuralLayer activationFunction="identity"><Neuron id="o" bias="0.1"><Con from="h1" weight="0.9"/></Neuron></NeuralLayer>
    <NeuralOutputs><NeuralOutput outputNeuron="o"><DerivedField optype="continuous" dataType="double">
      <NormContinuous field="y"><LinearNorm orig="100" norm="0"/><LinearNorm orig="300" norm="1"/></NormContinuous>
    </DerivedField></NeuralOutput></NeuralOutputs>`;
  const { model, slots } = compileWith(neuralNetworkFamily, doc('functionName="regression" activationFunction="Elliott"', body));
  const h = (z: number) => z / (1 + Math.abs(z));
  const o = 0.9 * h(1.5 * 0.4 - 0.7 * 1 + 0.2) + 0.1;
  close(model.score(slots({ x: 4, c: 'b' })).value, 100 + o * 200);
});

test('a regression network with a FieldRef output returns the output neuron as is', () => {
  const body = `${HIDDEN}
    <NeuralOutputs><NeuralOutput outputNeuron="h1"><DerivedField optype="continuous" dataType="double"><FieldRef field="y"/></DerivedField></NeuralOutput></NeuralOutputs>`;
  const { model, slots } = compileWith(neuralNetworkFamily, doc('functionName="regression" activationFunction="arctan"', body));
  close(model.score(slots({ x: 5, c: 'a' })).value, (2 * Math.atan(1.5 * 0.5 + 0.2)) / Math.PI);
});

const CLASS_TARGET = '<DataField name="y" optype="categorical" dataType="string"><Value value="no"/><Value value="yes"/></DataField>';
const CLASS_BODY = `${HIDDEN}
    <NeuralLayer activationFunction="logistic" normalizationMethod="simplemax">
      <Neuron id="o1" bias="0"><Con from="h1" weight="1"/></Neuron>
      <Neuron id="o2" bias="0.5"><Con from="h1" weight="-1"/></Neuron>
    </NeuralLayer>
    <NeuralOutputs>
      <NeuralOutput outputNeuron="o1"><DerivedField optype="categorical" dataType="string"><NormDiscrete field="y" value="yes"/></DerivedField></NeuralOutput>
      <NeuralOutput outputNeuron="o2"><DerivedField optype="categorical" dataType="string"><NormDiscrete field="y" value="no"/></DerivedField></NeuralOutput>
    </NeuralOutputs>`;

test('a classification network with simplemax maps NormDiscrete outputs to class probabilities', () => {
  const { model, slots } = compileWith(neuralNetworkFamily, doc('functionName="classification" activationFunction="rectifier"', CLASS_BODY, CLASS_TARGET));
  assert.equal(model.labels, ['yes', 'no']);
  const h = Math.max(0, 1.5 * 0.9 + 0.2);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const a = sig(h), b = sig(0.5 - h);
  const s = model.score(slots({ x: 9, c: 'a' }));
  close(s.probabilities?.[0], a / (a + b));
  close(s.probabilities?.[1], b / (a + b));
  assert.is(s.value, a > b ? 'yes' : 'no');
});

for (const [what, attrs, body, pattern] of [
  ['an unknown activationFunction', 'functionName="classification" activationFunction="softsign"', CLASS_BODY, /activationFunction="softsign"/],
  ['an unknown normalizationMethod', 'functionName="classification" activationFunction="tanh" normalizationMethod="max"', CLASS_BODY, /normalizationMethod="max"/],
  ['a NeuralOutput naming no neuron', 'functionName="classification" activationFunction="tanh"', CLASS_BODY.replace('outputNeuron="o2"', 'outputNeuron="o9"'), /outputNeuron="o9"/],
  ['a Con without weight', 'functionName="classification" activationFunction="tanh"', CLASS_BODY.replace(' weight="-1"', ''), /<Con>.*weight/],
  ['a classification output that is not NormDiscrete', 'functionName="classification" activationFunction="tanh"', CLASS_BODY.replace('<NormDiscrete field="y" value="no"/>', '<FieldRef field="y"/>'), /NormDiscrete/],
  ['an output for another field', 'functionName="classification" activationFunction="tanh"', CLASS_BODY.replace('<NormDiscrete field="y" value="no"/>', '<NormDiscrete field="c" value="a"/>'), /field="c"/],
] as const) {
  test(`load rejects ${what}`, () => {
    assert.throws(() => compileWith(neuralNetworkFamily, doc(attrs, body, CLASS_TARGET)), (e: unknown) => e instanceof ModelLoadError && pattern.test((e as Error).message));
  });
}

test.run();
