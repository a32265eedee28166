// Loads an ONNX model into a native ONNX Runtime session and checks, before any record, that
// it takes [n, features] float32 and gives one output row per record.
import { ModelLoadError } from '../api/model.ts';
import { OnnxModel, runSession, type OnnxModelParts } from './model.ts';
import { onnxRuntime, type NativeValueInfo } from './runtime.ts';
import type { OnnxOptions } from './index.ts';

const FLOAT = 1; // TensorProto.DataType.FLOAT

export function loadOnnx(bytes: Uint8Array, options: OnnxOptions): OnnxModel {
  const { features } = options;
  if (features.length === 0) throw new ModelLoadError('an ONNX model needs at least one feature name (options.features)');
  if (bytes.byteLength === 0) throw new ModelLoadError('the ONNX model is empty (0 bytes)');
  const runtime = onnxRuntime();
  const session = runtime.createSession();
  try {
    // Threads: small models run fastest on one; ONNX Runtime's default is one per core.
    session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: options.intraOpNumThreads ?? 1, interOpNumThreads: 1,
    });
  } catch (cause) {
    throw new ModelLoadError(`ONNX Runtime cannot load the model (${bytes.byteLength} bytes): ${message(cause)}`, { cause });
  }
  try {
    const input = pick(session.inputMetadata, options.inputName, 'input');
    const output = pick(session.outputMetadata, options.outputName, 'output');
    if (session.inputMetadata.length > 1) {
      throw new ModelLoadError(`the ONNX model has ${session.inputMetadata.length} inputs (${names(session.inputMetadata)}); only single-input models are served`);
    }
    checkFloatMatrix(input, 'input', features.length);
    const postProcessing = options.postProcessing ?? 'argmax';
    const parts = { runtime, session, inputName: input.name, outputName: output.name };
    const outputWidth = probe(parts, features.length);
    if (postProcessing === 'raw' && outputWidth !== 1) {
      throw new ModelLoadError(`'raw' post-processing needs one output value per record; the model gives ${outputWidth}`);
    }
    return new OnnxModel({ ...parts, features, postProcessing, outputWidth });
  } catch (error) {
    session.dispose();
    throw error;
  }
}

function pick(infos: readonly NativeValueInfo[], wanted: string | undefined, role: 'input' | 'output'): NativeValueInfo {
  if (wanted !== undefined) {
    const found = infos.find((i) => i.name === wanted);
    if (!found) throw new ModelLoadError(`the ONNX model has no ${role} '${wanted}' (its ${role}s: ${names(infos)})`);
    return found;
  }
  if (infos.length !== 1) {
    throw new ModelLoadError(`the ONNX model has ${infos.length} ${role}s (${names(infos)}); name one with options.${role}Name`);
  }
  return infos[0]!;
}

function checkFloatMatrix(info: NativeValueInfo, role: string, width: number): void {
  if (!info.isTensor || info.type !== FLOAT) throw new ModelLoadError(`the ONNX model's ${role} '${info.name}' is not a float32 tensor`);
  const shape = info.shape ?? [];
  const last = shape[shape.length - 1];
  if (shape.length !== 2 || (last !== -1 && last !== width)) {
    throw new ModelLoadError(`the ONNX model's ${role} '${info.name}' has shape [${shape.join(', ')}]; [n, ${width}] is needed for ${width} features`);
  }
}

/** Runs the model once on zeros, so that a model that cannot run fails now, not at the first record. */
function probe(parts: Pick<OnnxModelParts, 'runtime' | 'session' | 'inputName' | 'outputName'>, width: number): number {
  const rows = 2; // more than one, to prove the model takes a batch dimension
  let out: Float32Array;
  try {
    out = runSession(parts, new Float32Array(rows * width), rows, width);
  } catch (cause) {
    throw new ModelLoadError(`the ONNX model cannot run on [n, ${width}] float32 input: ${message(cause)}`, { cause });
  }
  if (out.length === 0 || out.length % rows !== 0) {
    throw new ModelLoadError(`the ONNX model gives ${out.length} values for ${rows} records; it needs one row per record`);
  }
  return out.length / rows;
}

function names(infos: readonly NativeValueInfo[]): string {
  return infos.length === 0 ? 'none' : infos.map((i) => `'${i.name}'`).join(', ');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
