// TensorFlow scoring: a frozen GraphDef decoded with protobufjs and run as a TensorFlow.js
// GraphModel, and tfjs `model.json` models (graph or layers format), scored in batches.
// TensorFlow.js takes about a second to import, so it is loaded on the first call here, not by
// importing lib/index.ts.
import type * as tf from '@tensorflow/tfjs';
import type { PostProcessing, TensorFlowModel } from './model.ts';
import type { TensorFlowBackend } from './backend.ts';

export type { PostProcessing, TensorFlowModel } from './model.ts';
export type { TensorFlowBackend } from './backend.ts';

export interface TensorFlowOptions {
  /** The input node, fed [n, features] float32. Default: the graph's single Placeholder (model.json: its single input). */
  readonly inputName?: string;
  /** The output node. Default: the graph's single node that no other node reads (model.json: its single output). */
  readonly outputName?: string;
  /** Feature names in the input's column order (a record's fields are read by these names). */
  readonly features: readonly string[];
  /** Default `argmax`: the index of the largest output is the predicted class. */
  readonly postProcessing?: PostProcessing;
}

/** Where a tfjs model.json model comes from: a model.json file, its directory, or a tfjs IOHandler. */
export type TensorFlowJsSource = string | tf.io.IOHandler;

/** Loads a frozen TensorFlow GraphDef (`.pb` bytes). Every problem surfaces here as a `ModelLoadError`. */
export async function loadTensorFlow(bytes: Uint8Array, options: TensorFlowOptions): Promise<TensorFlowModel> {
  return (await import('./load.ts')).loadTensorFlow(bytes, options);
}

/** Loads a TensorFlow.js `model.json` model, graph or layers format. */
export async function loadTensorFlowJs(source: TensorFlowJsSource, options: TensorFlowOptions): Promise<TensorFlowModel> {
  return (await import('./load.ts')).loadTensorFlowJs(source, options);
}

/** The tfjs backend that runs the models ('tensorflow' with tfjs-node installed, else 'cpu'). */
export async function tensorflowBackend(): Promise<TensorFlowBackend> {
  return (await import('./backend.ts')).tensorflowBackend();
}
