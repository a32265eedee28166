// A TensorFlow.js model behind the `Model` contract: records become rows of one float32 tensor
// [n, features], so a batch costs one graph execution (per-record calls are dominated by tfjs's
// fixed per-execution cost: ~55 µs a call against ~2 µs per record in a batch).
import * as tf from '@tensorflow/tfjs';
import type { FeatureRecord, Model, Prediction, ScoreOutcome } from '../api/model.ts';
import { FloatRows, type PostProcessing } from '../float-rows.ts';

export type { PostProcessing } from '../float-rows.ts';

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
  readonly #rows: FloatRows;
  readonly #execute = (rows: Float32Array, n: number) => this.#executeRows(rows, n);
  readonly #dispose: () => void;
  #closed = false;

  constructor(parts: TensorFlowModelParts) {
    this.features = parts.features;
    this.outputWidth = parts.outputWidth;
    this.backend = parts.backend;
    this.#run = parts.run;
    this.#rows = new FloatRows(parts.features, parts.outputWidth, parts.postProcessing);
    this.#dispose = parts.dispose;
  }

  score(record: FeatureRecord): Prediction {
    return this.#rows.score(record, this.#execute);
  }

  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[] {
    return this.#rows.scoreBatch(records, this.#execute);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dispose();
  }

  #executeRows(rows: Float32Array, n: number): Float32Array {
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
