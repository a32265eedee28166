// A target's value from the nearest neighbors (PMML 4.4 §NearestNeighborModel, "Scoring"):
// continuous by average, median or weighted average; categorical by (weighted) majority vote,
// ties broken as the spec says: the most frequent category in the training data, then the
// smallest value. Per target, precomputed once: its column as numbers or category indices.
import { RecordError } from '../../api/model.ts';
import type { Value } from '../family.ts';
import { valueKey } from '../values.ts';

/** The value from the `k` nearest rows `top` (nearest first) and every row's distance. */
export type Decide = (top: Int32Array, k: number, dist: Float64Array) => Value;

export type ContinuousMethod = 'average' | 'median' | 'weightedAverage';
export type CategoricalMethod = 'majorityVote' | 'weightedMajorityVote';

function missingTarget(name: string, row: number): never {
  throw new RecordError(`training instance ${row + 1} has no value of the target "${name}"`);
}

export function continuousTarget(method: ContinuousMethod, threshold: number, column: readonly Value[], name: string): Decide {
  // NaN marks a missing value (a training cell never parses to NaN: it would be missing).
  const y = Float64Array.from(column, (v) => (v === null ? NaN : (v as number)));
  const value = (row: number): number => { const v = y[row]!; return v === v ? v : missingTarget(name, row); };
  switch (method) {
    case 'average':
      return (top, k) => { let s = 0; for (let j = 0; j < k; j++) s += value(top[j]!); return s / k; };
    case 'weightedAverage':
      return (top, k, dist) => {
        let s = 0, w = 0;
        for (let j = 0; j < k; j++) { const r = top[j]!; const wi = 1 / (dist[r]! + threshold); s += wi * value(r); w += wi; }
        return s / w;
      };
    case 'median': {
      const buf = new Float64Array(column.length);
      return (top, k) => {
        for (let j = 0; j < k; j++) buf[j] = value(top[j]!);
        const v = buf.subarray(0, k).sort();
        const mid = k >> 1;
        return k % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
      };
    }
  }
}

export function categoricalTarget(method: CategoricalMethod, threshold: number, column: readonly Value[], name: string): Decide {
  const categories: Value[] = [];
  const index = new Map<string, number>();
  const cases: number[] = [];
  const cat = Int32Array.from(column, (v) => {
    if (v === null) return -1;
    const key = valueKey(v);
    let c = index.get(key);
    if (c === undefined) { index.set(key, (c = categories.length)); categories.push(v); cases.push(0); }
    cases[c]!++;
    return c;
  });
  // Tie order: more cases in the training data first, then the smaller value.
  const order = categories.map((_, c) => c).sort((a, b) => cases[b]! - cases[a]! || compare(categories[a]!, categories[b]!));
  const tieRank = new Int32Array(categories.length);
  order.forEach((c, rank) => { tieRank[c] = rank; });
  const votes = new Float64Array(categories.length);
  const weighted = method === 'weightedMajorityVote';
  return (top, k, dist) => {
    votes.fill(0);
    for (let j = 0; j < k; j++) {
      const r = top[j]!, c = cat[r]!;
      if (c < 0) missingTarget(name, r);
      votes[c]! += weighted ? 1 / (dist[r]! + threshold) : 1;
    }
    let best = -Infinity, winner = -1;
    for (let c = 0; c < votes.length; c++) {
      const v = votes[c]!;
      if (v > best || (v === best && tieRank[c]! < tieRank[winner]!)) { best = v; winner = c; }
    }
    return categories[winner]!;
  };
}

function compare(a: Value, b: Value): number {
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}
