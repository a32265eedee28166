// The NeuralNetwork family: NeuralInputs are compiled as DerivedFields by the pipeline, the layers
// into one flat network (./network.ts), and NeuralOutputs into either class probabilities
// (NormDiscrete per class) or a regression value (FieldRef, or the inverse of NormContinuous).
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, Eval, FamilyContext, ModelFamily, Score, Value } from '../family.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr } from '../xml.ts';
import type { XmlElement } from '../xml.ts';
import { ACTIVATION_FUNCTIONS, NORMALIZATION_METHODS, UndefinedNormalizationError } from './activation.ts';
import type { ActivationFunction } from './activation.ts';
import { compileDenormalize } from './denormalize.ts';
import type { Denormalize } from './denormalize.ts';
import { compileNetwork } from './network.ts';
import type { LayerAttributes, LayerSpec, NetworkSpec } from './network.ts';

const KNOWN_CHILDREN = new Set([
  'MiningSchema', 'Output', 'ModelStats', 'ModelExplanation', 'Targets', 'LocalTransformations',
  'NeuralInputs', 'NeuralLayer', 'NeuralOutputs', 'ModelVerification',
]);

const fail = (msg: string): never => { throw new ModelLoadError(msg); };

const optionalNumber = (el: XmlElement, attr: string): number | undefined =>
  el.attrs[attr] === undefined ? undefined : numberAttr(el, attr);

function layerAttributes(el: XmlElement): LayerAttributes {
  const fn = el.attrs.activationFunction;
  return {
    activationFunction: fn === undefined ? undefined : enumAttr(el, 'activationFunction', ACTIVATION_FUNCTIONS, 'identity'),
    normalizationMethod: el.attrs.normalizationMethod === undefined ? undefined : enumAttr(el, 'normalizationMethod', NORMALIZATION_METHODS, 'none'),
    threshold: optionalNumber(el, 'threshold'),
    // Not in PMML 4.4: JPMML-Evaluator's extension attribute for a leaky rectifier.
    leakage: optionalNumber(el, 'x-leakage'),
    width: optionalNumber(el, 'width'),
    altitude: optionalNumber(el, 'altitude'),
  };
}

/** Reads NeuralNetwork attributes and NeuralLayers into a plain network description. */
export function readNetwork(model: XmlElement, inputIds: readonly string[]): NetworkSpec {
  requiredAttr(model, 'activationFunction');
  const activationFunction: ActivationFunction = enumAttr(model, 'activationFunction', ACTIVATION_FUNCTIONS, 'logistic');
  const layers: LayerSpec[] = childrenNamed(model, 'NeuralLayer').map((layer) => ({
    ...layerAttributes(layer),
    neurons: childrenNamed(layer, 'Neuron').map((n) => {
      if (n.attrs.altitude !== undefined) fail(`<Neuron id="${n.attrs.id ?? ''}"> attribute altitude is not supported (set it on NeuralLayer or NeuralNetwork)`);
      return {
        id: requiredAttr(n, 'id'),
        bias: optionalNumber(n, 'bias'),
        width: optionalNumber(n, 'width'),
        connections: childrenNamed(n, 'Con').map((c) => ({ from: requiredAttr(c, 'from'), weight: numberAttr(c, 'weight') })),
      };
    }),
  }));
  if (layers.length === 0) fail('<NeuralNetwork> has no <NeuralLayer>');
  return { ...layerAttributes(model), activationFunction, inputIds, layers };
}

function toNumber(v: Value, id: string): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = v.trim() === '' ? NaN : Number(v);
  if (Number.isNaN(n)) throw new RecordError(`NeuralInput "${id}" has the non-numeric value ${JSON.stringify(v)}`);
  return n;
}

/** The expression of a NeuralOutput's DerivedField. */
function outputExpression(out: XmlElement): XmlElement {
  const df = child(out, 'DerivedField') ?? fail(`<NeuralOutput outputNeuron="${out.attrs.outputNeuron ?? ''}"> lacks <DerivedField>`);
  return df.children[0] ?? fail(`<NeuralOutput outputNeuron="${out.attrs.outputNeuron ?? ''}">: its DerivedField has no expression`);
}

const NO_PREDICTION: Score = Object.freeze({ value: null });

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  for (const c of model.children) {
    if (!KNOWN_CHILDREN.has(c.name)) fail(`<NeuralNetwork> child <${c.name}> is not supported`);
  }
  const inputsEl = child(model, 'NeuralInputs') ?? fail('<NeuralNetwork> lacks <NeuralInputs>');
  const inputs = childrenNamed(inputsEl, 'NeuralInput').map((inp) => {
    const id = requiredAttr(inp, 'id');
    const df = child(inp, 'DerivedField') ?? fail(`<NeuralInput id="${id}"> lacks <DerivedField>`);
    return { id, get: ctx.derivedField(df) };
  });
  const network = compileNetwork(readNetwork(model, inputs.map((i) => i.id)));
  const outputsEl = child(model, 'NeuralOutputs') ?? fail('<NeuralNetwork> lacks <NeuralOutputs>');
  const target = ctx.target ?? fail('<NeuralNetwork> has no target field');
  const outputs = childrenNamed(outputsEl, 'NeuralOutput').map((out) => {
    const neuron = requiredAttr(out, 'outputNeuron');
    const slot = network.slotOf(neuron);
    if (slot === undefined || slot < network.inputCount) fail(`<NeuralOutput> outputNeuron="${neuron}" names no neuron`);
    const expr = outputExpression(out);
    const field = requiredAttr(expr, 'field');
    if (field !== target.name) fail(`<NeuralOutput outputNeuron="${neuron}">: <${expr.name} field="${field}"> must refer to the target "${target.name}" (derived or other fields are not supported)`);
    return { slot: slot as number, expr };
  });
  if (outputs.length === 0) fail('<NeuralOutputs> has no <NeuralOutput>');

  const buffer = new Float64Array(network.size); // reused: scoring is synchronous
  const inputGetters: Eval[] = inputs.map((i) => i.get);
  const inputIds = inputs.map((i) => i.id);
  const n = inputGetters.length;
  const forward = (slots: Parameters<Eval>[0]): boolean => {
    for (let i = 0; i < n; i++) {
      const x = toNumber((inputGetters[i] as Eval)(slots), inputIds[i] as string);
      if (x === null) return false;
      buffer[i] = x;
    }
    try {
      network.run(buffer);
    } catch (e) {
      if (e instanceof UndefinedNormalizationError) throw new RecordError(e.message, { cause: e });
      throw e;
    }
    return true;
  };

  if (ctx.functionName === 'classification') {
    const labels = outputs.map(({ expr }) => {
      if (expr.name !== 'NormDiscrete') fail(`<NeuralOutput> of a classification network must hold <NormDiscrete>, not <${expr.name}>`);
      return requiredAttr(expr, 'value');
    });
    if (new Set(labels).size !== labels.length) fail('<NeuralOutputs> maps two neurons to the same class');
    const slots = Int32Array.from(outputs, (o) => o.slot);
    const k = labels.length;
    return {
      functionName: 'classification',
      labels,
      score: (s) => {
        if (!forward(s)) return NO_PREDICTION;
        const probabilities = new Array<number>(k);
        let best = 0;
        for (let i = 0; i < k; i++) {
          probabilities[i] = buffer[slots[i] as number] as number;
          if ((probabilities[i] as number) > (probabilities[best] as number)) best = i; // first max wins ties
        }
        return { value: labels[best] as string, probabilities };
      },
    };
  }

  if (outputs.length !== 1) fail(`<NeuralOutputs> of a regression network must have one NeuralOutput for "${target.name}", not ${outputs.length}`);
  const { slot, expr } = outputs[0] as { slot: number; expr: XmlElement };
  let post: Denormalize | null = null;
  if (expr.name === 'NormContinuous') {
    post = compileDenormalize(childrenNamed(expr, 'LinearNorm').map((ln) => ({ orig: numberAttr(ln, 'orig'), norm: numberAttr(ln, 'norm') })));
  } else if (expr.name !== 'FieldRef') {
    fail(`<NeuralOutput> of a regression network must hold <FieldRef> or <NormContinuous>, not <${expr.name}>`);
  }
  return {
    functionName: 'regression',
    labels: [],
    score: (s) => {
      if (!forward(s)) return NO_PREDICTION;
      const y = buffer[slot] as number;
      if (!post) return { value: y };
      const value = post(y);
      if (Number.isNaN(value)) throw new RecordError(`output neuron value ${y} lies outside the NeuralOutput's NormContinuous range, where it has no inverse`);
      return { value };
    },
  };
}

export const neuralNetworkFamily: ModelFamily = { element: 'NeuralNetwork', compile };
