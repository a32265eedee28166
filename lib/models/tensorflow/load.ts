// The TensorFlow loaders behind lib/models/tensorflow/index.ts (which imports this module on
// first use: TensorFlow.js takes about a second to import).
//
// Why a GraphModel rather than evaluating the ops ourselves: tfjs then executes every TensorFlow
// op it knows with its own op semantics (attrs, broadcasting, dtypes), exactly as for graphs from
// tfjs's converter, and it is fast enough: on the seed graph, batches of 256 cost ~2.4 µs per
// record on the CPU backend (bench/tensorflow.ts; target 10 µs). A hand-written fused dense path
// measured ~1.4 µs but would cover only the ops we chose to write: a second implementation to trust.
import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { ModelLoadError } from '../api/model.ts';
import { tensorflowBackend } from './backend.ts';
import { nodeName, toGraphArtifacts, type GraphDefJson } from './graphdef.ts';
import { TensorFlowModel, type Runner } from './model.ts';
import type { TensorFlowOptions, TensorFlowJsSource } from './index.ts';

/** Loads a frozen TensorFlow GraphDef (`.pb` bytes). Every problem surfaces here as a `ModelLoadError`. */
export async function loadTensorFlow(bytes: Uint8Array, options: TensorFlowOptions): Promise<TensorFlowModel> {
  const backend = await tensorflowBackend();
  const { topology, weightSpecs, weightData } = toGraphArtifacts(bytes);
  const inputName = options.inputName ?? soleNode(graphInputs(topology), 'input');
  const outputName = options.outputName ?? soleNode(graphOutputs(topology), 'output');
  requireNode(topology, inputName, 'input');
  requireNode(topology, outputName, 'output');
  let model: tf.GraphModel<tf.io.IOHandlerSync>;
  try {
    model = tf.loadGraphModelSync({ modelTopology: topology, weightSpecs, weightData, format: 'graph-model' });
  } catch (cause) {
    throw new ModelLoadError(`TensorFlow.js cannot load the graph: ${message(cause)}`, { cause });
  }
  const run: Runner = (x) => model.execute({ [inputName]: x }, outputName) as tf.Tensor;
  return finish(run, () => model.dispose(), backend.name, options, topology);
}

/** Loads a TensorFlow.js `model.json` model, graph or layers format. */
export async function loadTensorFlowJs(source: TensorFlowJsSource, options: TensorFlowOptions): Promise<TensorFlowModel> {
  const backend = await tensorflowBackend();
  const artifacts = await artifactsFrom(source);
  const topology = artifacts.modelTopology as { node?: unknown; class_name?: unknown } | undefined;
  if (!topology || topology instanceof ArrayBuffer) throw new ModelLoadError('the tfjs model has no JSON modelTopology');
  if (artifacts.format === 'graph-model' || Array.isArray(topology.node)) {
    let model: tf.GraphModel<tf.io.IOHandlerSync>;
    try {
      model = tf.loadGraphModelSync(artifacts);
    } catch (cause) {
      throw new ModelLoadError(`TensorFlow.js cannot load the graph model: ${message(cause)}`, { cause });
    }
    const inputName = options.inputName ?? single(model.inputs, 'input');
    const outputName = options.outputName ?? single(model.outputs, 'output');
    requireNode(topology as GraphDefJson, inputName, 'input');
    requireNode(topology as GraphDefJson, outputName, 'output');
    const run: Runner = (x) => model.execute({ [inputName]: x }, outputName) as tf.Tensor;
    return finish(run, () => model.dispose(), backend.name, options, topology as GraphDefJson);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel({ load: async () => artifacts });
  } catch (cause) {
    throw new ModelLoadError(`TensorFlow.js cannot load the layers model: ${message(cause)}`, { cause });
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelLoadError(`a layers model needs one input and one output; it has ${model.inputs.length} and ${model.outputs.length}`);
  }
  const run: Runner = (x) => model.predict(x) as tf.Tensor;
  return finish(run, () => model.dispose(), backend.name, options, undefined);
}

async function artifactsFrom(source: TensorFlowJsSource): Promise<tf.io.ModelArtifacts> {
  if (typeof source !== 'string') {
    if (!source.load) throw new ModelLoadError('the tfjs IOHandler cannot load (it has no load method)');
    try {
      return await source.load();
    } catch (cause) {
      throw new ModelLoadError(`the tfjs IOHandler failed to load: ${message(cause)}`, { cause });
    }
  }
  let file = source;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as tf.io.ModelJSON;
    if (!json.modelTopology) throw new Error('it has no modelTopology');
    return await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const buffers: ArrayBuffer[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          const shard = resolve(dirname(file), path);
          const rel = relative(dirname(file), shard);
          if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`weights path '${path}' leaves the model's directory`);
          const bytes = await readFile(shard);
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
    });
  } catch (cause) {
    throw new ModelLoadError(`cannot read the tfjs model '${file}': ${message(cause)}`, { cause });
  }
}

/** Runs the model once on zeros, so that a graph that cannot run fails now, not at the first record. */
function finish(run: Runner, dispose: () => void, backend: string, options: TensorFlowOptions, topology: GraphDefJson | undefined): TensorFlowModel {
  const { features } = options;
  if (features.length === 0) throw new ModelLoadError('a TensorFlow model needs at least one feature name (options.features)');
  const postProcessing = options.postProcessing ?? 'argmax';
  let outputWidth: number;
  try {
    outputWidth = probe(run, features.length, topology);
    if (outputWidth === 0) throw new ModelLoadError('the model outputs no values per record');
    if (postProcessing === 'raw' && outputWidth !== 1) {
      throw new ModelLoadError(`'raw' post-processing needs one output value per record; the model gives ${outputWidth}`);
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return new TensorFlowModel({ run, features, postProcessing, outputWidth, dispose, backend });
}

function probe(run: Runner, width: number, topology: GraphDefJson | undefined): number {
  const rows = 2; // more than one, to prove the graph takes a batch dimension
  const input = tf.zeros([rows, width], 'float32') as tf.Tensor2D;
  try {
    const output = run(input);
    try {
      if (output.shape[0] !== rows) {
        throw new ModelLoadError(`the model's output has shape [${output.shape}] for ${rows} records; it needs one row per record`);
      }
      return output.size / rows;
    } finally {
      output.dispose();
    }
  } catch (cause) {
    if (cause instanceof ModelLoadError) throw cause;
    const text = message(cause);
    const op = /Unknown op '([^']+)'/.exec(text)?.[1];
    if (op !== undefined) {
      const node = topology?.node.find((n) => n.op === op)?.name;
      throw new ModelLoadError(`unsupported TensorFlow op '${op}'${node ? ` (node '${node}')` : ''}`, { cause });
    }
    throw new ModelLoadError(`the model cannot run on [n, ${width}] float32 input: ${text}`, { cause });
  } finally {
    input.dispose();
  }
}

function requireNode(topology: GraphDefJson, name: string, role: 'input' | 'output'): void {
  const bare = nodeName(name);
  if (!topology.node.some((n) => n.name === bare)) {
    throw new ModelLoadError(`the TensorFlow graph has no ${role} node '${bare}'`);
  }
}

// A frozen graph's inputs are its Placeholders; its outputs are the nodes no other node reads.
function graphInputs(topology: GraphDefJson): string[] {
  return topology.node.filter((n) => n.op === 'Placeholder').map((n) => n.name);
}

function graphOutputs(topology: GraphDefJson): string[] {
  const read = new Set(topology.node.flatMap((n) => (n.input ?? []).map(nodeName)));
  return topology.node.filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp' && n.op !== 'Placeholder').map((n) => n.name);
}

function soleNode(names: readonly string[], role: 'input' | 'output'): string {
  if (names.length !== 1) {
    const found = names.length === 0 ? 'none' : names.join(', ');
    throw new ModelLoadError(`the TensorFlow graph has ${names.length} candidate ${role} nodes (${found}); name one with options.${role}Name`);
  }
  return names[0]!;
}

function single(infos: readonly tf.ModelTensorInfo[], role: 'input' | 'output'): string {
  if (infos.length !== 1) {
    throw new ModelLoadError(`the graph model has ${infos.length} ${role}s (${infos.map((i) => i.name).join(', ')}); name one in the options`);
  }
  return infos[0]!.name;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
