// Small NeuralNetwork documents covering what the seed MLP does not (every activation function,
// thresholds, radialBasis, simplemax, NormContinuous/NormDiscrete inputs, regression outputs),
// with deterministic records; checked against JPMML-Evaluator in jpmml.test.ts.
import type { FeatureRecord } from '../../../../lib/models/api/model.ts';
import { ACTIVATION_FUNCTIONS } from '../../../../lib/models/pmml/neural-network/activation.ts';
import type { Fixture } from './against-jpmml.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function records(n: number, seed: number): FeatureRecord[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => ({
    x: Math.round((r() * 12 - 1) * 1000) / 1000,
    z: Math.round(r() * 6 * 1000) / 1000 - 3,
    c: ['a', 'b', 'c'][Math.floor(r() * 3)] as string,
  }));
}

const doc = (target: string, model: string) => `<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header/>
  <DataDictionary>
    ${target}
    <DataField name="x" optype="continuous" dataType="double"/>
    <DataField name="z" optype="continuous" dataType="double"/>
    <DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="c"/></DataField>
  </DataDictionary>
  ${model}
</PMML>`;

const SCHEMA = '<MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/><MiningField name="z"/><MiningField name="c"/></MiningSchema>';
const INPUTS = `<NeuralInputs>
      <NeuralInput id="i1"><DerivedField optype="continuous" dataType="double">
        <NormContinuous field="x"><LinearNorm orig="0" norm="-1"/><LinearNorm orig="4" norm="0"/><LinearNorm orig="10" norm="1"/></NormContinuous>
      </DerivedField></NeuralInput>
      <NeuralInput id="i2"><DerivedField optype="continuous" dataType="double"><FieldRef field="z"/></DerivedField></NeuralInput>
      <NeuralInput id="i3"><DerivedField optype="continuous" dataType="double"><NormDiscrete field="c" value="b"/></DerivedField></NeuralInput>
    </NeuralInputs>`;

const neuron = (id: string, bias: number, cons: [string, number][]) =>
  `<Neuron id="${id}" bias="${bias}">${cons.map(([f, w]) => `<Con from="${f}" weight="${w}"/>`).join('')}</Neuron>`;

const HIDDEN = [
  neuron('h1', 0.1, [['i1', 0.8], ['i2', -0.3], ['i3', 0.5]]),
  neuron('h2', -0.2, [['i1', -0.4], ['i2', 0.25], ['i3', 1.1]]),
  neuron('h3', 0.05, [['i1', 0.3], ['i2', 0.6], ['i3', -0.7]]),
].join('');

const REG_TARGET = '<DataField name="y" optype="continuous" dataType="double"/>';
const CLASS_TARGET = '<DataField name="y" optype="categorical" dataType="string"><Value value="no"/><Value value="maybe"/><Value value="yes"/></DataField>';

/** A regression network whose hidden layer uses `fn`; the output is denormalized. */
function regression(name: string, nnAttrs: string, layerAttrs: string): Fixture {
  return {
    name,
    pmml: doc(REG_TARGET, `<NeuralNetwork functionName="regression" ${nnAttrs}>${SCHEMA}${INPUTS}
    <NeuralLayer ${layerAttrs}>${HIDDEN}</NeuralLayer>
    <NeuralLayer activationFunction="identity">${neuron('o', 0.3, [['h1', 0.7], ['h2', -0.45], ['h3', 0.2]])}</NeuralLayer>
    <NeuralOutputs><NeuralOutput outputNeuron="o"><DerivedField optype="continuous" dataType="double">
      <NormContinuous field="y"><LinearNorm orig="-100" norm="-10"/><LinearNorm orig="100" norm="10"/></NormContinuous>
    </DerivedField></NeuralOutput></NeuralOutputs></NeuralNetwork>`),
    records: records(40, name.length * 131),
  };
}

function classification(name: string, nnAttrs: string, outAttrs: string): Fixture {
  return {
    name,
    pmml: doc(CLASS_TARGET, `<NeuralNetwork functionName="classification" ${nnAttrs}>${SCHEMA}${INPUTS}
    <NeuralLayer>${HIDDEN}</NeuralLayer>
    <NeuralLayer ${outAttrs}>
      ${neuron('o1', 0.3, [['h1', 0.7], ['h2', -0.45], ['h3', 0.2]])}
      ${neuron('o2', -0.1, [['h1', -0.2], ['h2', 0.9], ['h3', 0.4]])}
      ${neuron('o3', 0.0, [['h1', 0.5], ['h2', 0.1], ['h3', -0.8]])}
    </NeuralLayer>
    <NeuralOutputs>
      <NeuralOutput outputNeuron="o1"><DerivedField optype="categorical" dataType="string"><NormDiscrete field="y" value="yes"/></DerivedField></NeuralOutput>
      <NeuralOutput outputNeuron="o2"><DerivedField optype="categorical" dataType="string"><NormDiscrete field="y" value="no"/></DerivedField></NeuralOutput>
      <NeuralOutput outputNeuron="o3"><DerivedField optype="categorical" dataType="string"><NormDiscrete field="y" value="maybe"/></DerivedField></NeuralOutput>
    </NeuralOutputs></NeuralNetwork>`),
    records: records(40, name.length * 977),
  };
}

export const NN_FIXTURES: readonly Fixture[] = [
  ...ACTIVATION_FUNCTIONS.filter((f) => f !== 'radialBasis' && f !== 'threshold').map((fn) =>
    regression(`nn-activation-${fn}`, 'activationFunction="identity"', `activationFunction="${fn}"`)),
  regression('nn-threshold-layer', 'activationFunction="threshold" threshold="5"', 'threshold="0.2"'),
  regression('nn-threshold-network', 'activationFunction="threshold" threshold="0.1"', ''),
  regression('nn-rectifier-leaky', 'activationFunction="rectifier" x-leakage="0.05"', ''),
  regression('nn-radialBasis', 'activationFunction="radialBasis" width="1.5" altitude="1.2"', ''),
  regression('nn-radialBasis-layer-width', 'activationFunction="tanh"', 'activationFunction="radialBasis" width="0.8"'),
  classification('nn-softmax', 'activationFunction="logistic"', 'activationFunction="identity" normalizationMethod="softmax"'),
  classification('nn-simplemax', 'activationFunction="tanh"', 'activationFunction="exponential" normalizationMethod="simplemax"'),
  classification('nn-network-softmax', 'activationFunction="Elliott" normalizationMethod="softmax"', ''),
  classification('nn-logistic-unnormalized', 'activationFunction="logistic"', ''),
];
