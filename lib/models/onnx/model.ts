// An ONNX model behind the `Model` contract: records become rows of one float32 tensor
// [n, features], so a batch costs one session run.
import type { FeatureRecord, Model, Prediction, ScoreOutcome } from '../api/model.ts';
import { FloatRows, type PostProcessing } from '../float-rows.ts';
import type { NativeSession, OnnxRuntime } from './runtime.ts';

export interface OnnxModelParts {
  readonly runtime: OnnxRuntime;
  readonly session: NativeSession;
  readonly inputName: string;
  readonly outputName: string;
  readonly features: readonly string[];
  readonly postProcessing: PostProcessing;
  /** Output values per record, measured at load. */
  readonly outputWidth: number;
}

export class OnnxModel implements Model {
  readonly kind = 'onnx' as const;
  readonly features: readonly string[];
  readonly inputName: string;
  readonly outputName: string;
  readonly outputWidth: number;
  readonly #parts: OnnxModelParts;
  readonly #rows: FloatRows;
  readonly #run = (rows: Float32Array, n: number) => this.run(rows, n);
  #closed = false;

  constructor(parts: OnnxModelParts) {
    this.#parts = parts;
    this.features = parts.features;
    this.inputName = parts.inputName;
    this.outputName = parts.outputName;
    this.outputWidth = parts.outputWidth;
    this.#rows = new FloatRows(parts.features, parts.outputWidth, parts.postProcessing);
  }

  score(record: FeatureRecord): Prediction {
    return this.#rows.score(record, this.#run);
  }

  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[] {
    return this.#rows.scoreBatch(records, this.#run);
  }

  /** Runs the session on `n` rows; the output's values, row after row. */
  run(rows: Float32Array, n: number): Float32Array {
    if (this.#closed) throw new Error('the ONNX model is closed');
    return runSession(this.#parts, rows, n, this.features.length);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#parts.session.dispose();
  }
}

/** One synchronous run of the native session on [n, width] float32 rows. */
export function runSession(parts: Pick<OnnxModelParts, 'runtime' | 'session' | 'inputName' | 'outputName'>, rows: Float32Array, n: number, width: number): Float32Array {
  const { runtime, session, inputName, outputName } = parts;
  const input = new runtime.Tensor('float32', rows, [n, width]);
  const output = session.run({ [inputName]: input }, { [outputName]: null }, {})[outputName];
  if (!output || !(output.data instanceof Float32Array)) {
    throw new Error(`the ONNX model's output '${outputName}' is ${output ? output.type : 'missing'}, not float32`);
  }
  return output.data;
}
