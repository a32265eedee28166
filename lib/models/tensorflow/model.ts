// A TensorFlow.js model behind the `Model` contract: records become rows of one float32 tensor
// [n, features], so a batch costs one graph execution (per-record calls are dominated by tfjs's
// fixed per-execution cost: ~55 µs a call against ~2 µs per record in a batch).
import * as tf from '@tensorflow/tfjs';
import { RecordError, type FeatureRecord, type Model, type Prediction, type ScoreOutcome } from '../api/model.ts';

/** What to make of a record's output vector: its argmax index, its single value, or your own. */
export type PostProcessing = 'argmax' | 'raw' | ((outputs: Float32Array) => Prediction);

/** Runs the model on a [n, features] float32 tensor; returns a tensor with n rows. */
export type Runner = (input: tf.Tensor2D) => tf.Tensor;

export interface TensorFlowModelParts {
  readonly run: Runner;
  readonly features: readonly string[];
  readonly postProcessing: PostProcessing;
  /** Output values per record, measured at load. */
  readonly outputWidth: number;
  readonly dispose: () => void;
  /** The tfjs backend that runs it ('cpu', or 'tensorflow' with tfjs-node). */
  readonly backend: string;
}

export class TensorFlowModel implements Model {
  readonly kind = 'tensorflow' as const;
  readonly features: readonly string[];
  readonly outputWidth: number;
  readonly backend: string;
  readonly #run: Runner;
  readonly #post: (outputs: Float32Array) => Prediction;
  readonly #aliases: readonly string[];
  readonly #dispose: () => void;
  #closed = false;

  constructor(parts: TensorFlowModelParts) {
    this.features = parts.features;
    this.outputWidth = parts.outputWidth;
    this.backend = parts.backend;
    this.#run = parts.run;
    this.#post = postProcessor(parts.postProcessing);
    // A feature named with underscores (`fixed_acidity`, a protobuf field) is also found under
    // its spaced name (`fixed acidity`, a PMML field) and the other way round: records use both.
    this.#aliases = parts.features.map((f) => (f.includes('_') ? f.replaceAll('_', ' ') : f.replaceAll(' ', '_')));
    this.#dispose = parts.dispose;
  }

  score(record: FeatureRecord): Prediction {
    const row = new Float32Array(this.features.length);
    this.#read(record, row, 0);
    return this.#post(this.#execute(row, 1));
  }

  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[] {
    const width = this.features.length;
    const rows = new Float32Array(records.length * width);
    const outcomes: (ScoreOutcome | undefined)[] = new Array(records.length);
    const scored: number[] = []; // indexes of the records that made it into the tensor
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
      const out = this.#execute(rows.subarray(0, scored.length * width), scored.length);
      const k = this.outputWidth;
      scored.forEach((index, row) => {
        outcomes[index] = { kind: 'scored', prediction: this.#post(out.subarray(row * k, row * k + k)) };
      });
    }
    return outcomes as ScoreOutcome[];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dispose();
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

  #execute(rows: Float32Array, n: number): Float32Array {
    if (this.#closed) throw new Error('the TensorFlow model is closed');
    const input = tf.tensor2d(rows, [n, this.features.length], 'float32');
    try {
      const output = this.#run(input);
      try {
        return output.dataSync() as Float32Array;
      } finally {
        output.dispose();
      }
    } finally {
      input.dispose();
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
