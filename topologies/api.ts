import type { KafkaStreams, Topology } from '../lib/index.ts';

/** The three servers of the tutorial, re-created. */
export type TopologyKind = 'naive' | 'kv' | 'custom';

/** The tutorial's CLI names for them (m/memory, s/standard, c/custom) and ours. */
export const TOPOLOGY_ALIASES: Readonly<{ [alias: string]: TopologyKind }> = {
  naive: 'naive', m: 'naive', memory: 'naive',
  kv: 'kv', s: 'kv', standard: 'kv',
  custom: 'custom', c: 'custom',
};

/** What every serving model counts, champion, split or shadow. */
export interface ScoringFigures {
  readonly invocations: number;
  /** Total scoring time, ms. */
  readonly duration: number;
  /** Fastest and slowest scoring of one record, ms (fractional); 0 before the first. */
  readonly min: number;
  readonly max: number;
  /** Median and 99th percentile of the per-record scoring time, ms, from `latency`; null before the first. */
  readonly p50?: number | null;
  readonly p99?: number | null;
  /** The per-record scoring times as log buckets (four per doubling from 0.1 µs): bucket → records. Merge by adding. */
  readonly latency?: LatencyBuckets;
}

/** Serving statistics of the current model of one dataType, as `GET /state/value` shows them. */
export interface ModelServingStats extends ScoringFigures {
  readonly name: string;
  readonly description: string;
  readonly dataType: string;
  readonly modelType: 'PMML' | 'TENSORFLOW' | 'ONNX' | 'NONE';
  /** When this model started serving (ms since epoch); 0 when none. */
  readonly since: number;
  /** Records of this dataType skipped because no model could serve them (not reset by a new model). */
  readonly skipped?: number;
  /** The last model that failed to load for this dataType, if any (the previous one keeps serving). */
  readonly lastError?: { readonly name: string; readonly message: string; readonly at: number };
  /** Models beside the champion: split models (they answer a share) and shadow challengers. */
  readonly roles?: readonly RoleServingStats[];
}

/** A split or shadow model's statistics beside the champion's. */
export interface RoleServingStats extends ScoringFigures {
  readonly name: string;
  readonly description: string;
  readonly role: 'split' | 'shadow';
  readonly modelType: ModelServingStats['modelType'];
  readonly since: number;
  /** Split: its relative share of the records (the champion's weight is in the slot, default 1). */
  readonly weight?: number;
  /** Shadow: records compared with the answer sent, how many agreed, and their ratio (null before any). */
  readonly compared?: number;
  readonly agreed?: number;
  readonly agreement?: number | null;
  readonly errors?: number;
  readonly skipped?: number;
}

/** Sparse histogram counts by bucket index (see topologies/serving/latency-histogram.ts). */
export type LatencyBuckets = { readonly [bucket: string]: number };

/** The statistics shown when a dataType has no model. */
export const NO_MODEL_STATS: ModelServingStats = {
  name: 'None', description: '', dataType: '', modelType: 'NONE', since: 0, invocations: 0, duration: 0, min: 0, max: 0,
};

/**
 * Why the serving topology skipped a record as bad input: a data record whose dataType is too
 * long or holds control characters, a null value on the data topic, a model naming such a dataType.
 */
export type BadInputReason = 'invalid-data-type' | 'null-value' | 'invalid-model-data-type';

export interface ServingTopicNames {
  readonly data: string;     // default 'models_data'
  readonly models: string;   // default 'models_models'
  readonly results: string;  // default 'models_results'
  /** Shadow models' results (default 'models_shadow'). */
  readonly shadow?: string;
}

export const DEFAULT_TOPICS: ServingTopicNames = { data: 'models_data', models: 'models_models', results: 'models_results', shadow: 'models_shadow' };

/** A serving topology with what the query layer needs to read its state. */
export interface ServingTopology {
  readonly kind: TopologyKind;
  readonly topology: Topology;
  readonly topics: ServingTopicNames;
  /** Stores whose names `/state/instance` lists. */
  readonly storeNames: readonly string[];
  /** This instance's statistics for `dataType` (undefined when it has none). */
  localStats(streams: KafkaStreams, dataType: string): ModelServingStats | undefined;
  /** Every dataType this instance has statistics for. */
  localDataTypes(streams: KafkaStreams): string[];
  /** Records this instance skipped as bad input, per reason (every reason present). */
  localBadInput?(streams: KafkaStreams): Readonly<Record<BadInputReason, number>>;
  /** Every dataType's (or one's) champion with its roles and history, as this instance sees them. */
  localModels?(streams: KafkaStreams, dataType?: string): ModelsView[];
}

/** `GET /models` and `GET /state/{dataType}`: a dataType's current model, the models beside it, and its previous versions. */
export interface ModelsView {
  readonly dataType: string;
  /** The champion's statistics (`roles` holds the split and shadow models). */
  readonly current: ModelServingStats;
  /** Newest first. */
  readonly history: readonly HistoryView[];
  /** Whether a rollback has a version to go back to. */
  readonly canRollBack: boolean;
}

export interface HistoryView {
  readonly name: string;
  readonly description: string;
  readonly modelType: ModelServingStats['modelType'];
  readonly since: number;
  readonly until: number;
  readonly end: 'replaced' | 'rolled-back' | 'failed';
  /** This instance's counts while it served (0 for a version that never loaded). */
  readonly invocations: number;
  readonly duration: number;
  readonly min: number;
  readonly max: number;
  readonly loadError?: { readonly name: string; readonly message: string; readonly at: number };
}
