// MiningModel segmentations beyond regression and classification (PMML 4.4 §MultipleModels):
// a clustering ensemble votes for cluster ids, and x-multiModelChain (JPMML's extension, for
// functionName="mixed") runs every selected segment and reports each one's target.
import { RecordError } from '../../api/model.ts';
import type { Score, Slots, Value } from '../family.ts';

/** What these combiners need of a compiled Segment. */
export interface VotingSegment {
  readonly predicate: (s: Slots) => boolean | null;
  readonly model: { readonly score: (s: Slots) => Score; readonly targetName?: string | undefined };
  readonly weight: number;
}

const NULL: Score = { value: null };

/**
 * majorityVote / weightedMajorityVote over cluster ids: the id with the most (weighted) votes,
 * the first to reach the maximum on a tie (JPMML counts votes in the order ids appear).
 */
export function clusterVote(
  segments: readonly VotingSegment[], weighted: boolean, treatment: 'returnMissing' | 'skipSegment' | 'continue', threshold: number,
): (s: Slots) => Score {
  return (s) => {
    const votes = new Map<string, number>();
    let selectedW = 0, missingW = 0, missingVotes = 0;
    for (const sg of segments) {
      if (sg.predicate(s) !== true) continue;
      const r = sg.model.score(s);
      const w = weighted ? sg.weight : 1;
      selectedW += sg.weight;
      if (r.value === null) {
        if (treatment === 'returnMissing') return NULL;
        missingW += sg.weight;
        if (treatment === 'continue') missingVotes += w;
        continue;
      }
      const id = String(r.value);
      votes.set(id, (votes.get(id) ?? 0) + w);
    }
    if (selectedW === 0) return NULL;
    if (missingW > 0 && missingW / selectedW > threshold) return NULL;
    if (votes.size === 0) throw new RecordError('empty vote: every selected segment of the clustering MiningModel gave no cluster');
    let best: string | undefined, most = -Infinity;
    for (const [id, n] of votes) if (n > most) { best = id; most = n; }
    if (missingVotes > most) return NULL;
    return { value: best! };
  };
}

/**
 * x-multiModelChain: every selected segment is scored in document order (a later one may read an
 * earlier one's outputs); the result holds each segment's target value, and the value (with its
 * probabilities, remapped to the mining model's labels) is the one of `first`, its first target. `selected` records which
 * segments ran for the record, so only their Output fields are reported.
 */
export function multiModelChain(
  segments: readonly VotingSegment[], first: string | undefined, selected: Uint8Array, remap: (i: number, r: Score) => Score,
): (s: Slots) => Score {
  return (s) => {
    selected.fill(0);
    const targets: { [name: string]: Value } = {};
    let main: Score = NULL;
    for (let i = 0; i < segments.length; i++) {
      const sg = segments[i]!;
      if (sg.predicate(s) !== true) continue;
      selected[i] = 1;
      const r = sg.model.score(s);
      const name = sg.model.targetName;
      if (name === undefined) continue;
      if (name in targets) throw new RecordError(`x-multiModelChain: two selected segments predict the target field "${name}"`);
      targets[name] = r.value;
      if (name === first) main = remap(i, r);
    }
    return { ...main, targets };
  };
}
