// A shadow batch's reply set against the answers that were sent: the shadow's own results (the
// answer's record, the shadow's name and outcome) and the change to its counts.
import type { ServingResult } from '../codecs/messages.ts';
import type { ServingModel } from './model-slot.ts';
import { addScored, type RoleCounts } from './role-stats.ts';
import type { ShadowOutcome } from './shadow-scorer.ts';

/** An answer sent for a record the shadow scored too. */
export interface SentAnswer {
  readonly result: ServingResult;
  readonly timestamp: number;
}

export interface ShadowComparison {
  /** One per answer, in the same order. */
  readonly results: readonly ServingResult[];
  readonly counts: (c: RoleCounts) => RoleCounts;
}

export function compareShadow(shadow: ServingModel, sent: readonly SentAnswer[], outcomes: readonly ShadowOutcome[] | Float64Array, batchMs: number): ShadowComparison {
  // As for the champion: each record's time is its share of the batch's.
  const ms = batchMs / sent.length;
  let agreed = 0, scored = 0;
  const results = sent.map((p, i) => {
    const outcome: ShadowOutcome = outcomes instanceof Float64Array ? { kind: 'scored', value: outcomes[i]! } : outcomes[i]!;
    if (outcome.kind === 'scored') scored++;
    const answer = p.result.outcome;
    if (outcome.kind === 'scored' && answer.kind === 'scored' && answer.value === outcome.value) agreed++;
    return { ...p.result, modelName: shadow.name, modelType: shadow.modelType, outcome, durationMs: ms };
  });
  return {
    results,
    counts: (c) => {
      const counted = scored > 0 ? addScored(c, scored, ms) : c;
      return { ...counted, compared: counted.compared + sent.length, agreed: counted.agreed + agreed };
    },
  };
}
