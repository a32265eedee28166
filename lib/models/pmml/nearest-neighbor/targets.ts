// The target from the nearest neighbors (PMML 4.4 §NearestNeighborModel, "Scoring"): continuous
// by average, median or weighted average; categorical by (weighted) majority vote, ties broken
// as the spec says: the most frequent category in the training data, then the smallest value.
import { RecordError } from '../../api/model.ts';
import type { Value } from '../family.ts';
import { valueKey } from '../values.ts';

export interface Neighbor {
  /** 0-based row of the training instance. */
  readonly row: number;
  readonly distance: number;
  readonly target: Value;
}

function targetOf(n: Neighbor): Value {
  if (n.target === null) throw new RecordError(`training instance ${n.row + 1} has no target value`);
  return n.target;
}

export function continuousTarget(method: 'average' | 'median' | 'weightedAverage', threshold: number): (nearest: readonly Neighbor[]) => Value {
  switch (method) {
    case 'average':
      return (nearest) => { let s = 0; for (const n of nearest) s += targetOf(n) as number; return s / nearest.length; };
    case 'weightedAverage':
      return (nearest) => {
        let s = 0, w = 0;
        for (const n of nearest) { const wi = 1 / (n.distance + threshold); s += wi * (targetOf(n) as number); w += wi; }
        return s / w;
      };
    case 'median':
      return (nearest) => {
        const v = nearest.map((n) => targetOf(n) as number).sort((a, b) => a - b);
        const mid = v.length >> 1;
        return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
      };
  }
}

function smallest(values: readonly Value[]): Value {
  return values.reduce((a, b) => ((b as number | string) < (a as number | string) ? b : a));
}

export function categoricalTarget(method: 'majorityVote' | 'weightedMajorityVote', threshold: number, column: readonly Value[]): (nearest: readonly Neighbor[]) => Value {
  // Cases per category in the whole training data, for ties.
  const cases = new Map<string, number>();
  for (const v of column) if (v !== null) cases.set(valueKey(v), (cases.get(valueKey(v)) ?? 0) + 1);
  return (nearest) => {
    const votes = new Map<string, { value: Value; votes: number }>();
    for (const n of nearest) {
      const v = targetOf(n), key = valueKey(v);
      const w = method === 'majorityVote' ? 1 : 1 / (n.distance + threshold);
      const e = votes.get(key);
      if (e === undefined) votes.set(key, { value: v, votes: w });
      else e.votes += w;
    }
    let best = -Infinity;
    for (const e of votes.values()) if (e.votes > best) best = e.votes;
    let winners = [...votes.values()].filter((e) => e.votes === best).map((e) => e.value);
    if (winners.length > 1) {
      let most = -1;
      for (const w of winners) most = Math.max(most, cases.get(valueKey(w)) ?? 0);
      winners = winners.filter((w) => (cases.get(valueKey(w)) ?? 0) === most);
    }
    return winners.length > 1 ? smallest(winners) : winners[0]!;
  };
}
