// Writes a frozen GraphDef for a stack of dense layers, laid out as Keras-then-freeze lays one
// out (Placeholder → per layer: Const kernel and bias, MatMul, BiasAdd, activation), so that
// graphs we make ourselves look like a frozen Keras model and load through the same path.
import { encodeGraphDef } from './graphdef.ts';

export type DenseActivation = 'Relu' | 'Sigmoid' | 'Tanh' | 'Softmax' | 'linear';

export interface DenseLayer {
  /** Node name prefix, e.g. `dense_1`. */
  readonly name: string;
  /** Row-major [inputs, units]. */
  readonly kernel: Float32Array;
  /** [units]. */
  readonly bias: Float32Array;
  readonly activation: DenseActivation;
}

export interface DenseGraph {
  /** The Placeholder's name, e.g. `input`. */
  readonly inputName: string;
  readonly inputs: number;
  readonly layers: readonly DenseLayer[];
}

/** The GraphDef bytes; the output node is `<last layer>/<activation>` (or `/BiasAdd` when linear). */
export function encodeDenseGraph(graph: DenseGraph): Uint8Array {
  const float = { type: 'DT_FLOAT' };
  const nodes: object[] = [{
    name: graph.inputName, op: 'Placeholder',
    attr: { dtype: float, shape: { shape: { dim: [{ size: -1 }, { size: graph.inputs }] } } },
  }];
  let previous = graph.inputName;
  let width = graph.inputs;
  for (const layer of graph.layers) {
    const units = layer.bias.length;
    if (layer.kernel.length !== width * units) {
      throw new RangeError(`layer ${layer.name}: kernel has ${layer.kernel.length} values, [${width}, ${units}] needs ${width * units}`);
    }
    const constant = (name: string, values: Float32Array, dims: number[]) => ({
      name, op: 'Const',
      attr: {
        dtype: float,
        value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: dims.map((size) => ({ size })) }, tensorContent: littleEndian(values) } },
      },
    });
    nodes.push(constant(`${layer.name}/kernel`, layer.kernel, [width, units]));
    nodes.push(constant(`${layer.name}/bias`, layer.bias, [units]));
    nodes.push({
      name: `${layer.name}/MatMul`, op: 'MatMul', input: [previous, `${layer.name}/kernel`],
      attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } },
    });
    nodes.push({
      name: `${layer.name}/BiasAdd`, op: 'BiasAdd', input: [`${layer.name}/MatMul`, `${layer.name}/bias`],
      attr: { T: float, data_format: { s: new TextEncoder().encode('NHWC') } },
    });
    previous = `${layer.name}/BiasAdd`;
    if (layer.activation !== 'linear') {
      nodes.push({ name: `${layer.name}/${layer.activation}`, op: layer.activation, input: [previous], attr: { T: float } });
      previous = `${layer.name}/${layer.activation}`;
    }
    width = units;
  }
  return encodeGraphDef({ node: nodes, versions: { producer: 1 } });
}

function littleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}
