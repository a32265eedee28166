// ONNX scoring with ONNX Runtime (onnxruntime-node, CPU), in batches: a model with one float32
// input [n, features] and an output [n, k]. The runtime is loaded on the first model, not by
// importing lib/models/index.ts.
import type { PostProcessing } from '../float-rows.ts';
import type { OnnxModel } from './model.ts';

export type { OnnxModel } from './model.ts';
export { encodeDenseOnnx } from './dense-onnx.ts';
export type { DenseOnnxModel, DenseOnnxLayer, DenseOnnxActivation } from './dense-onnx.ts';

export interface OnnxOptions {
  /** The input fed [n, features] float32. Default: the model's single input. */
  readonly inputName?: string;
  /** The output read. Default: the model's single output. */
  readonly outputName?: string;
  /** Feature names in the input's column order. */
  readonly features: readonly string[];
  /** Default `argmax`: the index of the largest output is the predicted class. */
  readonly postProcessing?: PostProcessing;
  /** ONNX Runtime's threads per run (default 1: the fastest for small models). */
  readonly intraOpNumThreads?: number;
}

/** Loads an ONNX ModelProto (`.onnx` bytes); every problem surfaces here as a `ModelLoadError`. */
export async function loadOnnx(bytes: Uint8Array, options: OnnxOptions): Promise<OnnxModel> {
  return (await import('./load.ts')).loadOnnx(bytes, options);
}
