// A frozen TensorFlow GraphDef (`.pb`) decoded with protobufjs (proto/tensorflow/graph.proto)
// and turned into the artifacts of a TensorFlow.js graph model: the GraphDef as JSON topology,
// with every Const's tensor moved into the weights, as tfjs's own converter lays them out.
import protobuf from 'protobufjs';
import type * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '../api/model.ts';
import { checkWireFormat } from '../../streams/protobuf-wire.ts';

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../../proto/tensorflow/graph.proto', import.meta.url)));
root.resolveAll();
const graphDefType = root.lookupType('tensorflow.GraphDef');
const dataTypeEnum = root.lookupEnum('tensorflow.DataType');

/** A GraphDef as protobufjs' JSON form (camelCase fields, enum names, int64 as strings). */
export interface GraphDefJson {
  node: NodeDefJson[];
  versions?: { producer?: number; minConsumer?: number };
  [field: string]: unknown;
}
export interface NodeDefJson {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: { [name: string]: { [kind: string]: unknown } };
}

/** Decodes `.pb` bytes; a malformed payload or node list is a `ModelLoadError`. */
export function decodeGraphDef(bytes: Uint8Array): protobuf.Message & { node: any[] } {
  try {
    // Unknown fields are allowed: we model only the part of GraphDef that inference needs.
    checkWireFormat(graphDefType, bytes, { allowUnknownFields: true });
    return graphDefType.decode(bytes) as protobuf.Message & { node: any[] };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ModelLoadError(`not a TensorFlow GraphDef (${bytes.length} bytes): ${why}`, { cause });
  }
}

/** Encodes a GraphDef given in protobufjs' object form (used to write our own graphs). */
export function encodeGraphDef(graph: { [field: string]: unknown }): Uint8Array {
  // fromObject takes enum names and base64 or byte arrays; verify then checks the result.
  const message = graphDefType.fromObject(graph);
  const problem = graphDefType.verify(message);
  if (problem) throw new TypeError(`not a GraphDef: ${problem}`);
  return graphDefType.encode(message).finish();
}

export interface GraphArtifacts {
  readonly topology: GraphDefJson;
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly weightData: ArrayBuffer;
}

/** Checks the node list and splits the Const tensors out into tfjs weights. */
export function toGraphArtifacts(bytes: Uint8Array): GraphArtifacts {
  const graph = decodeGraphDef(bytes);
  if (graph.node.length === 0) throw new ModelLoadError('the TensorFlow graph has no nodes');
  const names = new Set<string>();
  for (const node of graph.node) {
    if (!node.name) throw new ModelLoadError(`a TensorFlow graph node (op '${node.op}') has no name`);
    if (names.has(node.name)) throw new ModelLoadError(`TensorFlow graph node '${node.name}' is defined twice`);
    names.add(node.name);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const node of graph.node) {
    for (const input of node.input as string[]) {
      const source = nodeName(input);
      if (!names.has(source)) throw new ModelLoadError(`TensorFlow graph node '${node.name}' reads '${input}', which no node defines`);
    }
    if (node.op !== 'Const') continue;
    const tensor = node.attr?.value?.tensor;
    if (!tensor) throw new ModelLoadError(`TensorFlow Const node '${node.name}' has no value`);
    const { spec, data } = constTensor(node.name, tensor);
    weightSpecs.push(spec);
    chunks.push(data);
    delete node.attr.value; // tfjs reads Const values from the weights, by node name
  }
  const topology = graphDefType.toObject(graph, { enums: String, longs: String, bytes: String }) as GraphDefJson;
  topology.versions ??= {}; // tfjs reads versions.producer unconditionally
  return { topology, weightSpecs, weightData: concat(chunks) };
}

/** `name`, `name:1` or `^name` (a control input) → `name`. */
export function nodeName(input: string): string {
  const bare = input.startsWith('^') ? input.slice(1) : input;
  const colon = bare.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(bare.slice(colon + 1)) ? bare.slice(0, colon) : bare;
}

type Kind = 'float32' | 'int32' | 'bool';
interface TensorSource { kind: Kind; width: number; fromContent: (view: DataView, i: number) => number; field: string }

// How each TensorFlow DataType is stored in tfjs (tfjs has no float64 or int64: they narrow,
// as tfjs's converter does) and where its values sit in a TensorProto.
const SOURCES: { readonly [dtype: string]: TensorSource } = {
  DT_FLOAT: { kind: 'float32', width: 4, fromContent: (v, i) => v.getFloat32(i * 4, true), field: 'floatVal' },
  DT_DOUBLE: { kind: 'float32', width: 8, fromContent: (v, i) => v.getFloat64(i * 8, true), field: 'doubleVal' },
  DT_INT32: { kind: 'int32', width: 4, fromContent: (v, i) => v.getInt32(i * 4, true), field: 'intVal' },
  DT_INT16: { kind: 'int32', width: 2, fromContent: (v, i) => v.getInt16(i * 2, true), field: 'intVal' },
  DT_INT8: { kind: 'int32', width: 1, fromContent: (v, i) => v.getInt8(i), field: 'intVal' },
  DT_UINT8: { kind: 'int32', width: 1, fromContent: (v, i) => v.getUint8(i), field: 'intVal' },
  DT_INT64: { kind: 'int32', width: 8, fromContent: (v, i) => Number(v.getBigInt64(i * 8, true)), field: 'int64Val' },
  DT_BOOL: { kind: 'bool', width: 1, fromContent: (v, i) => v.getUint8(i), field: 'boolVal' },
};

function constTensor(name: string, tensor: any): { spec: tf.io.WeightsManifestEntry; data: Uint8Array } {
  const dtype = dataTypeEnum.valuesById[tensor.dtype] ?? String(tensor.dtype);
  const source = SOURCES[dtype];
  if (!source) throw new ModelLoadError(`TensorFlow Const node '${name}' has dtype ${dtype}, which is not supported`);
  if (tensor.tensorShape?.unknownRank) throw new ModelLoadError(`TensorFlow Const node '${name}' has an unknown rank`);
  const shape: number[] = (tensor.tensorShape?.dim ?? []).map((d: any) => Number(d.size));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new ModelLoadError(`TensorFlow Const node '${name}' has shape [${shape}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = source.kind === 'bool' ? new Uint8Array(size) : source.kind === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const content: Uint8Array = tensor.tensorContent;
  if (content.length > 0) {
    if (content.length !== size * source.width) {
      throw new ModelLoadError(`TensorFlow Const node '${name}' holds ${content.length} bytes for shape [${shape}] of ${dtype}`);
    }
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    for (let i = 0; i < size; i++) out[i] = source.fromContent(view, i);
  } else {
    const values: ArrayLike<number | boolean | { toNumber(): number }> = tensor[source.field] ?? [];
    if (values.length > size) throw new ModelLoadError(`TensorFlow Const node '${name}' holds ${values.length} values for shape [${shape}]`);
    // TensorProto: when fewer values than elements are given, the last one fills the rest.
    for (let i = 0; i < size && values.length > 0; i++) out[i] = toNumber(values[Math.min(i, values.length - 1)]!);
  }
  return { spec: { name, shape, dtype: source.kind }, data: new Uint8Array(out.buffer) };
}

function toNumber(v: number | boolean | { toNumber(): number }): number {
  return typeof v === 'object' ? v.toNumber() : Number(v);
}

function concat(chunks: readonly Uint8Array[]): ArrayBuffer {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out.buffer;
}
