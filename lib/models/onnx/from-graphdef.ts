// A frozen TensorFlow GraphDef of dense layers (Placeholder → MatMul, BiasAdd, activation per
// layer, as Keras freezes them) rewritten as an ONNX model with the same weights.
import { ModelLoadError } from '../api/model.ts';
import { toGraphArtifacts } from '../tensorflow/graphdef.ts';
import { encodeDenseOnnx, type DenseOnnxActivation, type DenseOnnxLayer } from './dense-onnx.ts';

const ACTIVATIONS = new Set(['Relu', 'Sigmoid', 'Tanh', 'Softmax']);

export interface FromGraphDefOptions {
  /** The ONNX input and output names (default: the graph's Placeholder, and `output`). */
  readonly inputName?: string;
  readonly outputName?: string;
}

export function denseOnnxFromGraphDef(pb: Uint8Array, options: FromGraphDefOptions = {}): Uint8Array {
  const { topology, weightSpecs, weightData } = toGraphArtifacts(pb);
  const weights = new Map<string, { shape: number[]; values: Float32Array }>();
  let at = 0;
  for (const spec of weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32') throw new ModelLoadError(`Const '${spec.name}' is ${spec.dtype}, not float32`);
    weights.set(spec.name, { shape: spec.shape, values: new Float32Array(weightData.slice(at, at + size * 4)) });
    at += size * 4;
  }
  const byName = new Map(topology.node.map((n) => [n.name, n]));
  const readers = (name: string) => topology.node.filter((n) => (n.input ?? []).includes(name));
  const placeholder = topology.node.find((n) => n.op === 'Placeholder');
  if (!placeholder) throw new ModelLoadError('the graph has no Placeholder');
  const layers: DenseOnnxLayer[] = [];
  let current = placeholder.name;
  let inputs = 0;
  for (;;) {
    const matmul = readers(current).find((n) => n.op === 'MatMul');
    if (!matmul) break;
    const kernel = weights.get(matmul.input![1]!);
    const biasAdd = readers(matmul.name).find((n) => n.op === 'BiasAdd');
    const bias = biasAdd && weights.get(biasAdd.input![1]!);
    if (!kernel || !bias || !biasAdd) throw new ModelLoadError(`MatMul '${matmul.name}' is not followed by a BiasAdd of a Const`);
    if (layers.length === 0) inputs = kernel.shape[0]!;
    const next = readers(biasAdd.name).find((n) => ACTIVATIONS.has(n.op));
    const activation = (next?.op ?? 'linear') as DenseOnnxActivation;
    layers.push({ name: matmul.name.replace(/\/MatMul$/, ''), kernel: kernel.values, bias: bias.values, activation });
    current = next?.name ?? biasAdd.name;
  }
  if (layers.length === 0 || !byName.has(current)) throw new ModelLoadError('the graph has no dense layer after its Placeholder');
  return encodeDenseOnnx({ inputName: options.inputName ?? placeholder.name, outputName: options.outputName ?? 'output', inputs, layers });
}
