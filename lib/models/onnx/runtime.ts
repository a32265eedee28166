// onnxruntime-node's native session, used synchronously. The package's public
// `InferenceSession.run` returns a Promise and defers every call by a setImmediate; the
// `Model` contract scores synchronously (a batch is scored between two commits, in order), so
// we drive the native binding that the public class wraps. It is an internal path of the
// package, so the version is pinned in package.json and a layout change fails loudly here.
import { createRequire } from 'node:module';
import { ModelLoadError } from '../api/model.ts';

/** The ONNX Runtime Tensor class (onnxruntime-common), the type every feed must be. */
export interface OrtTensorClass {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensor;
}
export interface OrtTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** An input's or output's metadata as the native session reports it. */
export interface NativeValueInfo {
  readonly name: string;
  readonly isTensor: boolean;
  /** ONNX TensorProto.DataType number (1 = float). */
  readonly type?: number;
  /** -1 for a symbolic dimension. */
  readonly shape?: readonly number[];
}

export interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: readonly NativeValueInfo[];
  readonly outputMetadata: readonly NativeValueInfo[];
  run(feeds: { [name: string]: OrtTensor }, fetches: { [name: string]: null }, options: object): { [name: string]: OrtTensor };
  dispose(): void;
}

export interface OnnxRuntime {
  readonly Tensor: OrtTensorClass;
  createSession(): NativeSession;
  readonly version: string;
}

let runtime: OnnxRuntime | undefined;

/** The runtime, loaded on first use (its native library is ~45 MB). */
export function onnxRuntime(): OnnxRuntime {
  if (runtime) return runtime;
  const require = createRequire(import.meta.url);
  try {
    const common = require('onnxruntime-common') as { Tensor: OrtTensorClass };
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js') as {
      binding: { InferenceSession: new () => NativeSession };
      initOrt: () => void;
    };
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    initOrt();
    runtime = { Tensor: common.Tensor, createSession: () => new binding.InferenceSession(), version };
    return runtime;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    // An optional peer dependency of the package: installed in this repository, by choice elsewhere.
    throw new ModelLoadError(`ONNX Runtime (onnxruntime-node) cannot be loaded: ${why} (install it: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0)`, { cause });
  }
}
