/**
 * The plug-in contract of a PMML model family (TreeModel, RegressionModel, ...).
 *
 * The pipeline (DataDictionary, MiningSchema, LocalTransformations, Targets, Output) is compiled
 * around the family; a family only turns its model element into a plain scoring function:
 *
 *   const family: ModelFamily = { element: 'TreeModel', compile(model, ctx) { ... return { labels, score } } };
 *
 * At compile time the family resolves every field it reads through `ctx.field(...)`, compiles
 * expressions/predicates through `ctx`, validates every attribute it depends on and throws
 * `ModelLoadError` (naming element and attribute) for anything it does not support. At scoring
 * time `score(slots)` does no name lookups and no XML walking: it calls the compiled accessors.
 * `score` never throws for the model's sake; a missing input it cannot handle yields `value: null`
 * (the pipeline then applies Targets defaults/priors, or reports a `RecordError`).
 */
import type { FeatureRecord } from '../api/model.ts';
import type { XmlElement } from './xml.ts';

/** A field value while scoring: number (integer/float/double), string, boolean; `null` is missing. */
export type Value = number | string | boolean | null;

/**
 * Per-record evaluation state: one slot per field (input, derived, output), allocated at compile
 * time. Families treat it as opaque and only pass it to compiled accessors.
 */
export type Slots = Value[];

/** A compiled expression or field accessor. */
export type Eval = (slots: Slots) => Value;

/** A compiled PMML predicate, three-valued: `null` is UNKNOWN (a missing input was involved). */
export type PredicateFn = (slots: Slots) => boolean | null;

export type DataType = 'string' | 'integer' | 'float' | 'double' | 'boolean';
export type OpType = 'categorical' | 'ordinal' | 'continuous';

/** A field visible in the current scope (data, derived or output field). */
export interface FieldInfo {
  readonly name: string;
  readonly dataType: DataType;
  readonly optype: OpType;
  /** Valid values declared in the DataDictionary (categorical/ordinal), in document order; empty if none. */
  readonly values: readonly Value[];
  /** Reads the field's value (after MiningSchema treatments / transformations). */
  readonly get: Eval;
}

export type FunctionName = 'regression' | 'classification' | 'clustering' | 'associationRules' | 'mixed';

/** The model's target (MiningField usageType="target"/"predicted"), if it has one. */
export interface TargetInfo {
  readonly name: string;
  readonly dataType: DataType;
  readonly optype: OpType;
  /** Class labels from the DataDictionary `Value` elements (classification), as strings in document order. */
  readonly labels: readonly string[];
}

/**
 * What a family's `score` returns for one record (before Targets and Output). A family may
 * return the same frozen Score for many records (e.g. a tree leaf's precomputed result); the
 * pipeline then builds that Score's `Prediction` once and shares it.
 */
export interface Score {
  /** Regression: a number. Classification: the winning label as a string. `null`: no prediction. */
  readonly value: number | string | null;
  /** Classification: probabilities aligned with `CompiledModel.labels`, when the model produces them. */
  readonly probabilities?: readonly number[];
  /** TreeModel: ScoreDistribution@confidence per label (aligned with `labels`; 0 where none is given). */
  readonly confidences?: readonly number[];
  /** Optional entity that produced the result (tree Node id, Segment id). */
  readonly entityId?: string;
  /** MiningModel selectAll: each selected segment's result (probabilities aligned with the mining model's labels); `value` is null. */
  readonly segments?: readonly Score[];
  /** Scorecard: reason codes ranked by their points, highest first (OutputField feature="reasonCode" rank=n). */
  readonly reasonCodes?: readonly string[];
  /** ClusteringModel, NearestNeighborModel: entities ranked best first with their affinity (distance or similarity); `entityId` is the first. */
  readonly ranking?: readonly RankedEntity[];
  /** The same ranking computed on demand (NearestNeighborModel ranks every instance only when an OutputField asks, for the current record only). */
  readonly rankLazily?: () => readonly RankedEntity[];
  /** Values by target field name when the result comes from nested models with their own targets (modelChain, selectFirst). */
  readonly targets?: Readonly<{ [name: string]: Value }>;
  /** The winning entity's display name (a Cluster's `name`), for feature="predictedDisplayValue". */
  readonly displayValue?: string;
  /** A result that has no value by nature (a clustering NearestNeighborModel: its ranked instances are the result); its OutputFields are computed. */
  readonly valueless?: true;
  /** AssociationModel: per rule (document order), whether the record's items hold its antecedent / consequent; `value` is null. */
  readonly rules?: { readonly antecedent: readonly boolean[]; readonly consequent: readonly boolean[] };
}

/** An OutputField a family computes itself (its own features, e.g. an AssociationModel's rule values). */
export interface FamilyOutput {
  readonly dataType: DataType;
  /** May return a list (OutputField isMultiValued="1"), stored in the field's slot as it is. */
  readonly compute: (r: Score) => Value | readonly Value[];
}

export interface RankedEntity {
  readonly id: string;
  readonly affinity: number;
}

/** A compiled model: what a family returns, and what `ctx.nested` returns for a segment's model. */
export interface CompiledModel {
  readonly functionName: FunctionName;
  /** Classification: the labels that `Score.probabilities` is aligned with; `[]` for regression and clustering. */
  readonly labels: readonly string[];
  readonly score: (slots: Slots) => Score;
  /**
   * Output fields of nested models the model reports as its own, depth-first (JPMML: a
   * MiningModel's selectFirst head, modelChain tail, every multiModelChain segment).
   */
  /**
   * Classification whose results JPMML does not give probabilities (SVM OneAgainstAll distances):
   * an OutputField feature="probability" then fails every record it is computed for.
   */
  readonly noProbabilities?: true;
  /** Its results carry `confidences` (JPMML's HasConfidence): OutputField feature="confidence" is valid. */
  readonly hasConfidences?: true;
  /** MiningModel: the current record's result of the Segment with this id (else its 1-based position), undefined when it was not scored. */
  readonly segmentResult?: (id: string) => Score | undefined;
  /** Its target field's name (set by the pipeline), so an enclosing model can report per-target values. */
  readonly targetName?: string;
  readonly nestedOutputs?: readonly { readonly name: string; readonly slot: number; readonly live?: () => boolean }[];
  /** Compiles an OutputField of a feature the family owns; undefined leaves it to the shared Output features. */
  readonly outputField?: (el: XmlElement) => FamilyOutput | undefined;
}

/** What the pipeline gives a family while it compiles one model element. */
export interface FamilyContext {
  /** The model's `functionName`, already validated. */
  readonly functionName: FunctionName;
  /** The target field, or null when the model declares none. */
  readonly target: TargetInfo | null;
  /** Every target field the model's MiningSchema declares, in order (functionName="mixed" has several); `target` is the first. */
  readonly targets: readonly TargetInfo[];
  /**
   * `float` when the model declares x-mathContext (or mathContext) "float": JPMML then computes its
   * result in float32 arithmetic (every step rounded), which a family emulates with Math.fround.
   */
  readonly mathContext?: 'float';
  /**
   * Resolves a field reference in this model's scope (MiningSchema fields, LocalTransformations,
   * TransformationDictionary, earlier segments' outputs). Unknown → `ModelLoadError` naming `where`
   * (e.g. `<NumericPredictor name="x">`).
   */
  field(name: string, where: XmlElement): FieldInfo;
  /**
   * Evaluates an accessor from `field` on another record (a NearestNeighborModel training
   * instance): its MiningFields read `record` with their treatments, DerivedFields are computed
   * from it, in fresh slots. Throws RecordError as scoring would.
   */
  evaluateOn(record: FeatureRecord, get: Eval): Value;
  /** Compiles an EXPRESSION element (FieldRef, Constant, NormContinuous, Apply, ...) in this scope. */
  expression(el: XmlElement): Eval;
  /** Compiles a `DerivedField` element (its expression, cast to its dataType) in this scope, e.g. a NeuralInput's. */
  derivedField(el: XmlElement): Eval;
  /** Compiles a PREDICATE element (SimplePredicate, CompoundPredicate, True, ...) in this scope. */
  predicate(el: XmlElement): PredicateFn;
  /**
   * Compiles a nested model element (a Segment's model) with its own MiningSchema, LocalTransformations,
   * Targets and Output; its OutputFields become visible to fields resolved afterwards (modelChain).
   */
  nested(model: XmlElement): CompiledModel;
}

/** A model family: one PMML model element name and its compiler. */
export interface ModelFamily {
  /** The PMML element this family compiles, e.g. `"TreeModel"`. */
  readonly element: string;
  /** The `functionName`s it accepts; regression and classification when absent. */
  readonly functionNames?: readonly FunctionName[];
  /** Compiles the model element; throws `ModelLoadError` for anything invalid or unsupported. */
  compile(model: XmlElement, ctx: FamilyContext): CompiledModel;
}
