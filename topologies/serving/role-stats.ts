// Statistics of the models beside the champion (shadow challengers and split models), kept per
// task under the dataType's TaskStats, by model name, and merged per instance when asked.
import type { ModelSlot } from './model-slot.ts';
import type { RoleServingStats } from '../api.ts';
import { modelTypeName } from './stats.ts';
import { addLatency, mergeLatency, percentiles, type LatencyHistogram } from './latency-histogram.ts';

export interface RoleCounts {
  /** The model identity these counts belong to (a new version of the same name restarts them). */
  readonly modelId: string;
  readonly role: 'shadow' | 'split';
  readonly invocations: number;
  readonly duration: number;
  readonly min: number;
  readonly max: number;
  /** Per-record scoring times (absent before the first). */
  readonly latency?: LatencyHistogram;
  /** Shadow: records whose answer was compared with the one sent, and how many gave the same value. */
  readonly compared: number;
  readonly agreed: number;
  /** Shadow: records whose scoring threw (the batch's records all count). */
  readonly errors: number;
  /** Shadow: records not scored because the model was not compiled yet, failed to load, or was paused for being slow. */
  readonly skipped: number;
}

export function emptyRoleCounts(modelId: string, role: RoleCounts['role']): RoleCounts {
  return { modelId, role, invocations: 0, duration: 0, min: 0, max: 0, compared: 0, agreed: 0, errors: 0, skipped: 0 };
}

export function addScored(c: RoleCounts, records: number, msEach: number): RoleCounts {
  const first = c.invocations === 0;
  return {
    ...c, invocations: c.invocations + records, duration: c.duration + msEach * records,
    min: first ? msEach : Math.min(c.min, msEach), max: first ? msEach : Math.max(c.max, msEach),
    latency: addLatency(c.latency, records, msEach),
  };
}

/** The shadow and split models of `slot` with their counts over `tasks`, in the slot's order. */
export function mergeRoles(slot: ModelSlot | undefined, tasks: readonly { readonly others?: { readonly [name: string]: RoleCounts } }[]): RoleServingStats[] {
  const models = [
    ...(slot?.split ?? []).map((m) => ({ m, role: 'split' as const })),
    ...(slot?.shadows ?? []).map((m) => ({ m, role: 'shadow' as const })),
  ];
  return models.map(({ m, role }) => {
    let invocations = 0, duration = 0, min = 0, max = 0, compared = 0, agreed = 0, errors = 0, skipped = 0;
    let latency: LatencyHistogram | undefined;
    for (const t of tasks) {
      const c = t.others?.[m.name];
      if (!c || c.modelId !== m.id) continue;
      if (c.invocations > 0) {
        min = invocations === 0 ? c.min : Math.min(min, c.min);
        max = Math.max(max, c.max);
      }
      invocations += c.invocations; duration += c.duration; latency = mergeLatency(latency, c.latency);
      compared += c.compared; agreed += c.agreed; errors += c.errors; skipped += c.skipped;
    }
    return {
      name: m.name, description: m.description, role, modelType: modelTypeName(m.modelType), since: m.since,
      ...(role === 'split' && { weight: m.weight && m.weight > 0 ? m.weight : 1 }),
      invocations, duration, min, max, ...percentiles(latency, { min, max }), ...(latency && { latency }),
      ...(role === 'shadow' && { compared, agreed, agreement: compared === 0 ? null : agreed / compared, errors, skipped }),
    };
  });
}
