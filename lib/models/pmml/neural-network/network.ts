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

interface CompiledLayer {
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
    layers.push({
      start,
      end: inputCount + n,
      radial,
      act: radial ? Math.exp : activation(fn as Exclude<ActivationFunction, 'radialBasis'>, {
        threshold: layer.threshold ?? spec.threshold,
        leakage: layer.leakage ?? spec.leakage,
      }),
      normalization: layer.normalizationMethod ?? spec.normalizationMethod ?? 'none',
      logAltitude: Math.log(altitude),
    });
  });
  conStart[neuronCount] = from.length;
  const conFrom = Int32Array.from(from);
  const conWeight = Float64Array.from(weight);

  const run = (buf: Float64Array): void => {
    for (const layer of layers) {
      const act = layer.act;
      for (let s = layer.start; s < layer.end; s++) {
        const j = s - inputCount;
        const c0 = conStart[j] as number;
        const c1 = conStart[j + 1] as number;
        let z = 0;
        if (!layer.radial) {
          for (let c = c0; c < c1; c++) z += (conWeight[c] as number) * (buf[conFrom[c] as number] as number);
          buf[s] = act(z + (bias[j] as number));
        } else {
          // Z = Σ (x_i − w_i)² / (2·width²); output = exp(fan-in·ln(altitude) − Z).
          for (let c = c0; c < c1; c++) {
            const d = (buf[conFrom[c] as number] as number) - (conWeight[c] as number);
            z += d * d;
          }
          z /= scale[j] as number;
          if (layer.logAltitude !== 0) z += layer.logAltitude * (c1 - c0);
          buf[s] = Math.exp(z);
        }
      }
      normalize(layer.normalization, buf, layer.start, layer.end);
    }
  };

  return { size: inputCount + neuronCount, inputCount, slotOf: (id) => slots.get(id), run };
}
