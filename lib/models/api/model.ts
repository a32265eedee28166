/**
 * A record to score: named features. PMML models look fields up by their DataField
 * name (`"fixed acidity"`) and also accept the proto's names (`fixed_acidity`).
 */
export type FeatureValue = number | string | boolean | null | undefined;
/**
 * A record's value may also be a list: the items of one transaction for a PMML AssociationModel
 * with a `usageType="group"` field (JPMML's transactional input is a collection per record).
 */
export type FeatureRecord = Readonly<{ [name: string]: FeatureValue | readonly (number | string | boolean)[] }>;

/** What a model says of one record. */
export interface Prediction {
  /** The target's value; a numeric class label such as "6" is returned as the number 6. */
  readonly value: number | string | null;
  /** Class probabilities by label, for classification models that have them. */
  readonly probabilities?: Readonly<{ [label: string]: number }>;
  /**
   * MiningModel `multipleModelMethod="selectAll"`: the result of every segment whose predicate is
   * true, in document order (JPMML's target is this list, so `value` is then null: no single value).
   */
  readonly segments?: readonly Prediction[];
  /**
   * PMML: the top-level model's `Output` fields by name (predicted values, probabilities, reason
   * codes, entity ids, affinities ...), present only when the model declares an Output; a field
   * without a value for this record is null.
   */
  readonly outputs?: Readonly<{ [name: string]: FeatureValue | readonly FeatureValue[] }>;
  /**
   * PMML models with several target fields (a model chain predicting two): each target's value by
   * name, null when this record gives it none; `value` is then the first target's.
   */
  readonly targets?: Readonly<{ [name: string]: number | string | null }>;
}

/** The outcome of one record of a batch: a bad record fails alone. */
export type ScoreOutcome =
  | { readonly kind: 'scored'; readonly prediction: Prediction }
  | { readonly kind: 'failed'; readonly error: RecordError };

export type ModelKind = 'pmml' | 'tensorflow' | 'onnx';

/** A loaded, compiled model. Loading validates everything; scoring never fails for the model's sake. */
export interface Model {
  readonly kind: ModelKind;
  /** Throws `RecordError` when this record cannot be scored. */
  score(record: FeatureRecord): Prediction;
  scoreBatch(records: readonly FeatureRecord[]): ScoreOutcome[];
  close(): void;
}

/** A model that cannot be loaded; the message names what is wrong (element, attribute, file). */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A record that the model cannot score (missing or invalid value with no treatment). */
export class RecordError extends Error {
  override readonly name = 'RecordError';
  constructor(message: string, options?: { cause?: unknown }) {
    // No stack trace: it names an input problem, not a code path, and capturing one costs more than
    // scoring a small model (records with invalid values are common); a wrapped `cause` keeps its own.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
