// Writes an ONNX ModelProto for a stack of dense layers (input [n, inputs] float32 → per layer
// MatMul, Add, activation), the same network lib/models/tensorflow/dense-graph.ts writes as a
// frozen GraphDef, so that one set of weights can be scored by both runtimes.
import { modelProtoType, ONNX_FLOAT } from './onnx-proto.ts';

export type DenseOnnxActivation = 'Relu' | 'Sigmoid' | 'Tanh' | 'Softmax' | 'linear';

export interface DenseOnnxLayer {
  /** Prefix of the layer's tensor and node names, e.g. `dense_1`. */
  readonly name: string;
  /** Row-major [inputs, units]. */
  readonly kernel: Float32Array;
  /** [units]. */
  readonly bias: Float32Array;
  readonly activation: DenseOnnxActivation;
}

export interface DenseOnnxModel {
  readonly inputName: string;
  readonly outputName: string;
  readonly inputs: number;
  readonly layers: readonly DenseOnnxLayer[];
  /** ModelProto.producer_name. */
  readonly producer?: string;
}

/** ONNX IR version 8 and the default-domain opset 13: supported by every current runtime. */
const IR_VERSION = 8;
const OPSET = 13;

/** The ModelProto bytes. Deterministic: the same weights give the same bytes. */
export function encodeDenseOnnx(model: DenseOnnxModel): Uint8Array {
  const initializer: object[] = [];
  const node: object[] = [];
  let previous = model.inputName;
  let width = model.inputs;
  model.layers.forEach((layer, index) => {
    const units = layer.bias.length;
    if (layer.kernel.length !== width * units) {
      throw new RangeError(`layer ${layer.name}: kernel has ${layer.kernel.length} values, [${width}, ${units}] needs ${width * units}`);
    }
    const last = index === model.layers.length - 1;
    initializer.push(tensor(`${layer.name}/kernel`, layer.kernel, [width, units]), tensor(`${layer.name}/bias`, layer.bias, [units]));
    const matmul = `${layer.name}/MatMul`, add = `${layer.name}/BiasAdd`;
    node.push({ name: matmul, op_type: 'MatMul', input: [previous, `${layer.name}/kernel`], output: [matmul] });
    const addOut = last && layer.activation === 'linear' ? model.outputName : add;
    node.push({ name: add, op_type: 'Add', input: [matmul, `${layer.name}/bias`], output: [addOut] });
    previous = addOut;
    if (layer.activation !== 'linear') {
      const out = last ? model.outputName : `${layer.name}/${layer.activation}`;
      node.push({ name: `${layer.name}/${layer.activation}`, op_type: layer.activation, input: [previous], output: [out] });
      previous = out;
    }
    width = units;
  });
  const message = modelProtoType.fromObject({
    ir_version: IR_VERSION,
    producer_name: model.producer ?? 'modelstream',
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: 'dense', node, initializer,
      input: [valueInfo(model.inputName, model.inputs)],
      output: [valueInfo(model.outputName, width)],
    },
  });
  return modelProtoType.encode(message).finish();
}

function tensor(name: string, values: Float32Array, dims: number[]): object {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true)); // raw_data is little-endian
  return { name, dims, data_type: ONNX_FLOAT, raw_data: raw };
}

/** A float32 [batch, width] tensor with a symbolic batch dimension. */
function valueInfo(name: string, width: number): object {
  return {
    name,
    type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
  };
}
