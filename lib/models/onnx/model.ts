// An ONNX model behind the `Model` contract: records become rows of one float32 tensor
// [n, features], so a batch costs one session run.
import { RecordError, type FeatureRecord, type Model, type Prediction, type ScoreOutcome } from '../api/model.ts';
import type { PostProcessing } from '../tensorflow/model.ts';
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
  readonly #post: (outputs: Float32Array) => Prediction;
  readonly #aliases: readonly string[];
  #closed = false;

  constructor(parts: OnnxModelParts) {
    this.#parts = parts;
    this.features = parts.features;
    this.inputName = parts.inputName;
    this.outputName = parts.outputName;
    this.outputWidth = parts.outputWidth;
    this.#post = postProcessor(parts.postProcessing);
    // `fixed_acidity` (a protobuf field) is also found as `fixed acidity` (a PMML field), and back.
    this.#aliases = parts.features.map((f) => (f.includes('_') ? f.replaceAll('_', ' ') : f.replaceAll(' ', '_')));
  }

  score(record: FeatureRecord): Prediction {
    const row = new Float32Array(this.features.length);
    this.#read(record, row, 0);
    return this.#post(this.run(row, 1));
  }

  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[] {
    const width = this.features.length;
    const rows = new Float32Array(records.length * width);
    const outcomes: (ScoreOutcome | undefined)[] = new Array(records.length);
    const scored: number[] = [];
    for (let i = 0; i < records.length; i++) {
      try {
        this.#read(records[i]!, rows, scored.length * width);
        scored.push(i);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        outcomes[i] = { kind: 'failed', error };
      }
    }
    if (scored.length > 0) {
      const out = this.run(rows.subarray(0, scored.length * width), scored.length);
      const k = this.outputWidth;
      scored.forEach((index, row) => {
        outcomes[index] = { kind: 'scored', prediction: this.#post(out.subarray(row * k, row * k + k)) };
      });
    }
    return outcomes as ScoreOutcome[];
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

  #read(record: FeatureRecord, into: Float32Array, at: number): void {
    const { features } = this;
    for (let f = 0; f < features.length; f++) {
      let value = record[features[f]!];
      if (value === undefined) value = record[this.#aliases[f]!];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const what = value === undefined || value === null ? 'is missing' : `is not a finite number: ${String(value)}`;
        throw new RecordError(`feature '${features[f]}' ${what}`);
      }
      into[at + f] = value;
    }
  }
}

function postProcessor(post: PostProcessing): (outputs: Float32Array) => Prediction {
  if (typeof post === 'function') return post;
  if (post === 'raw') return (outputs) => ({ value: outputs[0]! });
  return (outputs) => {
    let best = 0;
    for (let i = 1; i < outputs.length; i++) if (outputs[i]! > outputs[best]!) best = i;
    return { value: best };
  };
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
