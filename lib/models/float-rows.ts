// What a tensor model (TensorFlow.js, ONNX) does to records on either side of its run: numeric
// features read into float32 rows [n, features], and each output row turned into a Prediction.
// A record that cannot be read fails alone; the others are scored in one run.
import { RecordError, type FeatureRecord, type Prediction, type ScoreOutcome } from './api/model.ts';

/** What to make of a record's output vector: its argmax index, its single value, or your own. */
export type PostProcessing = 'argmax' | 'raw' | ((outputs: Float32Array) => Prediction);

/** Runs the model on `n` rows of `rows`; the output values, row after row. */
export type RowRunner = (rows: Float32Array, n: number) => Float32Array;

export class FloatRows {
  readonly #features: readonly string[];
  readonly #aliases: readonly string[];
  readonly #outputWidth: number;
  readonly #post: (outputs: Float32Array) => Prediction;

  constructor(features: readonly string[], outputWidth: number, post: PostProcessing) {
    this.#features = features;
    // `fixed_acidity` (a protobuf field) is also found as `fixed acidity` (a PMML field), and back.
    this.#aliases = features.map((f) => (f.includes('_') ? f.replaceAll('_', ' ') : f.replaceAll(' ', '_')));
    this.#outputWidth = outputWidth;
    this.#post = postProcessor(post);
  }

  score(record: FeatureRecord, run: RowRunner): Prediction {
    const row = new Float32Array(this.#features.length);
    this.#read(record, row, 0);
    return this.#post(run(row, 1));
  }

  scoreBatch(records: readonly FeatureRecord[], run: RowRunner): ScoreOutcome[] {
    const width = this.#features.length;
    const rows = new Float32Array(records.length * width);
    const outcomes: (ScoreOutcome | undefined)[] = new Array(records.length);
    const scored: number[] = []; // indexes of the records that made it into the rows
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
      const out = run(rows.subarray(0, scored.length * width), scored.length);
      const k = this.#outputWidth;
      scored.forEach((index, row) => {
        outcomes[index] = { kind: 'scored', prediction: this.#post(out.subarray(row * k, row * k + k)) };
      });
    }
    return outcomes as ScoreOutcome[];
  }

  #read(record: FeatureRecord, into: Float32Array, at: number): void {
    const features = this.#features;
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
