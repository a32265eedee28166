// Serving statistics (what GET /state/value shows): one record per dataType in each task's stats store, merged
// across the tasks of an instance when asked. Unlike the tutorial, `min` starts at the first
// scoring (not stuck at 0) and every field keeps its own name through a store round-trip.
import { ModelType } from '../codecs/messages.ts';
import { NO_MODEL_STATS, type HistoryView, type ModelServingStats, type ModelsView } from '../api.ts';
import type { LoadFailure, ModelSlot, ServingModel } from './model-slot.ts';
import type { BadInputCounts } from './bad-input.ts';
import { mergeRoles, type RoleCounts } from './role-stats.ts';
import { addLatency, mergeLatency, percentiles, type LatencyHistogram } from './latency-histogram.ts';

/**
 * Where a task keeps its bad-input counts in its stats store (in `TaskStats.badInput`): a key
 * with a control character, which no accepted dataType can be.
 */
export const BAD_INPUT_KEY = '\u0000bad-input';

/** What a task keeps per dataType: the statistics of the model it last served. */
export interface TaskStats {
  /** The `ServingModel.id` these counts belong to; '' while no model has served. */
  readonly modelId: string;
  readonly name: string;
  readonly description: string;
  readonly dataType: string;
  readonly modelType: number;
  readonly since: number;
  readonly invocations: number;
  /** Total scoring time, ms. */
  readonly duration: number;
  readonly min: number;
  readonly max: number;
  /** Per-record scoring times of this model (absent before the first). */
  readonly latency?: LatencyHistogram;
  /** Records skipped because no model could serve them; kept across model changes. */
  readonly skipped: number;
  /** A model this task could not compile itself (e.g. its `location` is missing on this host). */
  readonly lastError?: LoadFailure;
  /** Only under BAD_INPUT_KEY: the task's records skipped as bad input. */
  readonly badInput?: BadInputCounts;
  /** Split and shadow models of this dataType, by name. */
  readonly others?: { readonly [name: string]: RoleCounts };
  /** Counts of the champions this task served before, newest first (for the model history). */
  readonly past?: readonly PastCounts[];
}

export interface PastCounts {
  readonly modelId: string;
  readonly invocations: number;
  readonly duration: number;
  readonly min: number;
  readonly max: number;
}

/** Past champions' counts kept per task. */
export const PAST_KEPT = 5;

export function modelTypeName(type: number): ModelServingStats['modelType'] {
  if (type === ModelType.PMML) return 'PMML';
  if (type === ModelType.TENSORFLOW) return 'TENSORFLOW';
  if (type === ModelType.ONNX) return 'ONNX';
  return 'NONE';
}

export function emptyTaskStats(dataType: string): TaskStats {
  return { modelId: '', name: NO_MODEL_STATS.name, description: '', dataType, modelType: -1, since: 0, invocations: 0, duration: 0, min: 0, max: 0, skipped: 0 };
}

/** Fresh counts for `model`: statistics restart whenever a new model starts serving (a local load error is over then too). */
export function startServing(previous: TaskStats, model: Pick<ServingModel, 'id' | 'name' | 'description' | 'modelType' | 'since'>): TaskStats {
  const { modelId, invocations, duration, min, max } = previous;
  const past = modelId ? [{ modelId, invocations, duration, min, max }, ...(previous.past ?? [])].slice(0, PAST_KEPT) : previous.past;
  return {
    modelId: model.id, name: model.name, description: model.description, dataType: previous.dataType,
    modelType: model.modelType, since: model.since, invocations: 0, duration: 0, min: 0, max: 0, skipped: previous.skipped,
    ...(previous.others && { others: previous.others }), ...(past?.length && { past }),
  };
}

export function recordScoring(stats: TaskStats, ms: number): TaskStats {
  return recordBatch(stats, 1, ms);
}

/** `records` scorings of `msEach` ms each (one `scoreBatch` call: each record's share of its time). */
export function recordBatch(stats: TaskStats, records: number, msEach: number): TaskStats {
  const first = stats.invocations === 0;
  return {
    ...stats,
    invocations: stats.invocations + records,
    duration: stats.duration + msEach * records,
    min: first ? msEach : Math.min(stats.min, msEach),
    max: first ? msEach : Math.max(stats.max, msEach),
    latency: addLatency(stats.latency, records, msEach),
  };
}

/**
 * An instance's statistics for `dataType`: the tasks' counts for the model its models store
 * says is current (tasks still on an older model have not scored with the new one yet), and
 * the newest load error from the global slot or any task.
 */
export function mergeStats(dataType: string, slot: ModelSlot | undefined, tasks: readonly TaskStats[]): ModelServingStats | undefined {
  if (!slot && tasks.length === 0) return undefined;
  const current = slot?.current;
  let invocations = 0, duration = 0, min = 0, max = 0, skipped = 0;
  let lastError = slot?.lastError;
  let latency: LatencyHistogram | undefined;
  for (const t of tasks) {
    skipped += t.skipped;
    if (t.lastError && (!lastError || t.lastError.at > lastError.at)) lastError = t.lastError;
    if (!current || t.modelId !== current.id || t.invocations === 0) continue;
    min = invocations === 0 ? t.min : Math.min(min, t.min);
    max = Math.max(max, t.max);
    invocations += t.invocations;
    duration += t.duration;
    latency = mergeLatency(latency, t.latency);
  }
  const model = current
    ? { name: current.name, description: current.description, modelType: modelTypeName(current.modelType), since: current.since }
    : { name: NO_MODEL_STATS.name, description: NO_MODEL_STATS.description, modelType: NO_MODEL_STATS.modelType, since: 0 };
  const roles = mergeRoles(slot, tasks);
  const latencyView = { ...percentiles(latency, { min, max }), ...(latency && { latency }) };
  return { ...model, dataType, invocations, duration, min, max, ...latencyView, skipped, ...(lastError && { lastError }), ...(roles.length && { roles }) };
}

/** The slot's previous versions with this instance's counts for each (tasks keep a few past champions' counts). */
export function historyViews(slot: ModelSlot | undefined, tasks: readonly TaskStats[]): HistoryView[] {
  return (slot?.history ?? []).map((h) => {
    let invocations = 0, duration = 0, min = 0, max = 0;
    for (const t of tasks) {
      // A task still on this version has its counts as current ones.
      const counts = t.modelId === h.id ? t : t.past?.find((p) => p.modelId === h.id);
      if (!counts || counts.invocations === 0) continue;
      min = invocations === 0 ? counts.min : Math.min(min, counts.min);
      max = Math.max(max, counts.max);
      invocations += counts.invocations;
      duration += counts.duration;
    }
    return {
      name: h.name, description: h.description, modelType: modelTypeName(h.modelType), since: h.since, until: h.until, end: h.end,
      invocations, duration, min, max, ...(h.loadError && { loadError: h.loadError }),
    };
  });
}

/** A dataType's `GET /models` entry from its model slot and the tasks' statistics (of one thread or all). */
export function modelsView(dataType: string, slot: ModelSlot | undefined, tasks: readonly TaskStats[]): ModelsView | undefined {
  const current = mergeStats(dataType, slot, tasks);
  if (!current) return undefined;
  return { dataType, current, history: historyViews(slot, tasks), canRollBack: (slot?.history ?? []).some((h) => h.end === 'replaced' && Boolean(h.descriptor)) };
}
