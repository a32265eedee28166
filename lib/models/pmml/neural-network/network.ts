// A NeuralNetwork's layers compiled into flat typed arrays over one activation buffer:
// slots [0, inputs) hold the NeuralInput values, then every neuron in document order.
// Layers are evaluated in order (PMML Neural Network: all of layer L before L+1); a connection
// may only come from an input or an earlier layer, which is checked here, at load.
import { ModelLoadError } from '../../api/model.ts';
import { activation, normalize } from './activation.ts';
import type { Activation, ActivationFunction, NormalizationMethod } from './activation.ts';

export interface ConnectionSpec { readonly from: string; readonly weight: number }
export interface NeuronSpec {
  readonly id: string;
  readonly bias?: number | undefined;
  /** radialBasis only: overrides the layer's/network's width. */
  readonly width?: number | undefined;
  readonly connections: readonly ConnectionSpec[];
}

/** Attributes a layer may set and otherwise inherits from the network. */
export interface LayerAttributes {
  readonly activationFunction?: ActivationFunction | undefined;
  readonly normalizationMethod?: NormalizationMethod | undefined;
  readonly threshold?: number | undefined;
  readonly leakage?: number | undefined;
  readonly width?: number | undefined;
  readonly altitude?: number | undefined;
}

export interface LayerSpec extends LayerAttributes { readonly neurons: readonly NeuronSpec[] }

export interface NetworkSpec extends LayerAttributes {
  readonly activationFunction: ActivationFunction;
  readonly inputIds: readonly string[];
  readonly layers: readonly LayerSpec[];
}

export interface CompiledNetwork {
  /** Length of the activation buffer `run` works on. */
  readonly size: number;
  readonly inputCount: number;
  /** Buffer slot of a neuron or input id, undefined when there is none. */
  slotOf(id: string): number | undefined;
  /** Computes every neuron from `buffer[0, inputCount)`, in place. */
  run(buffer: Float64Array): void;
}

/** Activations that `run` computes inline (no call): same formulas as ./activation.ts. */
const INLINE_CODES: ReadonlyMap<string, number> = new Map([['logistic', 0], ['identity', 1], ['tanh', 2], ['rectifier', 3]]);

interface CompiledLayer {
  /** The activation's name, or 'rectifier-leaky' when a leakage applies. */
  readonly fn: string;
  readonly start: number;
  readonly end: number;
  readonly radial: boolean;
  readonly act: Activation;
  readonly normalization: NormalizationMethod;
  /** ln(altitude), radialBasis only. */
  readonly logAltitude: number;
}

const fail = (msg: string): never => { throw new ModelLoadError(msg); };

export function compileNetwork(spec: NetworkSpec): CompiledNetwork {
  const slots = new Map<string, number>();
  for (const id of spec.inputIds) {
    if (slots.has(id)) fail(`<NeuralInput> id="${id}" is not unique`);
    slots.set(id, slots.size);
  }
  const inputCount = slots.size;
  const neuronCount = spec.layers.reduce((n, l) => n + l.neurons.length, 0);
  const bias = new Float64Array(neuronCount);
  const scale = new Float64Array(neuronCount); // radialBasis: -2·width²
  const conStart = new Int32Array(neuronCount + 1);
  const from: number[] = [];
  const weight: number[] = [];
  const layers: CompiledLayer[] = [];
  let n = 0;
  spec.layers.forEach((layer, li) => {
    const fn = layer.activationFunction ?? spec.activationFunction;
    const radial = fn === 'radialBasis';
    const width = layer.width ?? spec.width;
    const altitude = layer.altitude ?? spec.altitude ?? 1;
    if (radial && !(altitude > 0)) fail(`<NeuralLayer> ${li + 1}: altitude="${altitude}" must be positive for radialBasis`);
    const start = inputCount + n;
    const known = slots.size; // connections may only reach slots defined before this layer
    for (const neuron of layer.neurons) {
      if (slots.has(neuron.id)) fail(`<Neuron> id="${neuron.id}" is not unique`);
      if (neuron.connections.length === 0) fail(`<Neuron> id="${neuron.id}" has no Con elements`);
      conStart[n] = from.length;
      for (const con of neuron.connections) {
        const slot = slots.get(con.from);
        if (slot === undefined || slot >= known) fail(`<Con> from="${con.from}" of neuron "${neuron.id}" names no input or neuron of an earlier layer`);
        from.push(slot as number);
        weight.push(con.weight);
      }
      bias[n] = neuron.bias ?? 0;
      if (radial) {
        const w = neuron.width ?? width ?? fail(`<Neuron> id="${neuron.id}": radialBasis needs a width (on Neuron, NeuralLayer or NeuralNetwork)`);
        scale[n] = w * w * -2;
      }
      n++;
    }
    for (const neuron of layer.neurons) slots.set(neuron.id, slots.size);
    const leakage = layer.leakage ?? spec.leakage;
    layers.push({
      fn: fn === 'rectifier' && leakage !== undefined ? 'rectifier-leaky' : fn,
      start,
      end: inputCount + n,
      radial,
      act: radial ? Math.exp : activation(fn as Exclude<ActivationFunction, 'radialBasis'>, {
        threshold: layer.threshold ?? spec.threshold,
        leakage,
      }),
      normalization: layer.normalizationMethod ?? spec.normalizationMethod ?? 'none',
      logAltitude: Math.log(altitude),
    });
  });
  conStart[neuronCount] = from.length;
  const conFrom = Int32Array.from(from);
  const conWeight = Float64Array.from(weight);

  // Per-layer scalars in flat arrays, and whether a layer is dense: each neuron reads the same
  // contiguous run of slots in order, so the weights can be walked without an index indirection.
  const L = layers.length;
  const lStart = Int32Array.from(layers, (l) => l.start);
  const lEnd = Int32Array.from(layers, (l) => l.end);
  const lDense = Int32Array.from(layers, (l) => denseSource(l.start - inputCount, l.end - inputCount));
  const lActs = layers.map((l) => l.act);
  const lCode = Int32Array.from(layers, (l) => INLINE_CODES.get(l.fn) ?? -1);
  const lRadial = Uint8Array.from(layers, (l) => (l.radial ? 1 : 0));
  const lNorm = layers.map((l) => l.normalization);

  function denseSource(j0: number, j1: number): number {
    const src = conFrom[conStart[j0] as number] as number;
    const fanIn = (conStart[j0 + 1] as number) - (conStart[j0] as number);
    for (let j = j0; j < j1; j++) {
      const c0 = conStart[j] as number;
      if ((conStart[j + 1] as number) - c0 !== fanIn) return -1;
      for (let c = 0; c < fanIn; c++) if (conFrom[c0 + c] !== src + c) return -1;
    }
    return src;
  }

  const run = (buf: Float64Array): void => {
    for (let l = 0; l < L; l++) {
      const start = lStart[l] as number, end = lEnd[l] as number;
      const act = lActs[l] as Activation;
      const code = lCode[l] as number;
      const dense = lDense[l] as number;
      if (lRadial[l] === 0) {
        for (let s = start, j = start - inputCount; s < end; s++, j++) {
          const c0 = conStart[j] as number, c1 = conStart[j + 1] as number;
          let z = 0;
          if (dense >= 0) {
            // Same order of summation as the indirect path, so results are identical.
            for (let c = c0, x = dense; c < c1; c++, x++) z += (conWeight[c] as number) * (buf[x] as number);
          } else {
            for (let c = c0; c < c1; c++) z += (conWeight[c] as number) * (buf[conFrom[c] as number] as number);
          }
          z += bias[j] as number;
          // The commonest activations inline; the others through their closure.
          switch (code) {
            case 0: buf[s] = 1 / (1 + Math.exp(-z)); break;
            case 1: buf[s] = z; break;
            case 2: buf[s] = Math.tanh(z); break;
            case 3: buf[s] = z > 0 ? z : 0; break;
            default: buf[s] = act(z);
          }
        }
      } else {
        const logAltitude = (layers[l] as CompiledLayer).logAltitude;
        for (let s = start, j = start - inputCount; s < end; s++, j++) {
          const c0 = conStart[j] as number, c1 = conStart[j + 1] as number;
          // Z = Σ (x_i − w_i)² / (2·width²); output = exp(fan-in·ln(altitude) − Z).
          let z = 0;
          for (let c = c0; c < c1; c++) {
            const d = (buf[conFrom[c] as number] as number) - (conWeight[c] as number);
            z += d * d;
          }
          z /= scale[j] as number;
          if (logAltitude !== 0) z += logAltitude * (c1 - c0);
          buf[s] = Math.exp(z);
        }
      }
      const norm = lNorm[l] as NormalizationMethod;
      if (norm !== 'none') normalize(norm, buf, start, end);
    }
  };

  return { size: inputCount + neuronCount, inputCount, slotOf: (id) => slots.get(id), run };
}
