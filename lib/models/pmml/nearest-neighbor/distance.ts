// The distance of the record to one training instance under the ComparisonMeasure (PMML 4.4
// §ComparisonMeasure): per KNNInput c(x, y) from its compareFunction, raised to p and weighted,
// summed (max for chebychev), scaled for missing inputs and rooted (not for squaredEuclidean).
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { Value } from '../family.ts';
import { enumAttr, numberAttr, type XmlElement } from '../xml.ts';

export const DISTANCES = ['euclidean', 'squaredEuclidean', 'chebychev', 'cityBlock', 'minkowski'] as const;
export type Compare = 'absDiff' | 'delta' | 'equal';

export interface InputMeasure {
  readonly compare: Compare;
  readonly weight: number;
}

export interface DistanceMeasure {
  readonly defaultCompare: Compare;
  /** Distance of `x` (the record; null = missing) to `y` (an instance) over `inputs`; `adjustment` = inputs / present inputs. */
  distance(x: readonly Value[], y: readonly Value[], inputs: readonly InputMeasure[], adjustment: number): number;
  /**
   * Every instance's distance when every input is numeric and compared by absDiff: `train` holds
   * the instances row after row, `present` the indices of the record's non-missing inputs (`m` of
   * them). The same operations in the same order as `distance`, without per-value dispatch.
   */
  absDiffAll(x: Float64Array, present: Int32Array, m: number, train: Float64Array, weights: Float64Array, adjustment: number, out: Float64Array): void;
  /**
   * For a minkowski p other than 1 and 2 (a Math.pow per term): as absDiffAll, but an instance
   * whose partial sum already reaches that of the k-th nearest so far cannot be among the k nearest
   * (the terms are non-negative and the root is monotone) and is left at Infinity. Undefined otherwise.
   */
  readonly absDiffNearest?: (x: Float64Array, present: Int32Array, m: number, train: Float64Array, weights: Float64Array, adjustment: number, out: Float64Array, k: number) => void;
}

function compareValues(f: InputMeasure, v: Value, ref: Value): number {
  switch (f.compare) {
    case 'absDiff': return Math.abs((v as number) - (ref as number));
    case 'delta': return v === ref ? 0 : 1;
    case 'equal': return v === ref ? 1 : 0;
  }
}

/** `d` raised to `p`: squares and first powers exactly as multiplications (as Java's Math.pow gives them). */
function powerOf(p: number): (d: number) => number {
  if (p === 2) return (d) => d * d;
  if (p === 1) return (d) => d;
  return (d) => Math.pow(d, p);
}

export function compileDistance(cm: XmlElement, el: XmlElement): DistanceMeasure {
  if (!(DISTANCES as readonly string[]).includes(el.name)) {
    throw new ModelLoadError(`<ComparisonMeasure kind="distance">: measure <${el.name}> is not supported (supported: ${DISTANCES.join(', ')})`);
  }
  const measure = el.name as (typeof DISTANCES)[number];
  // "The ComparisonMeasure element is limited to attribute-less comparison functions" (gaussSim needs similarityScale).
  const defaultCompare = enumAttr(cm, 'compareFunction', ['absDiff', 'delta', 'equal'], 'absDiff');
  let p = measure === 'euclidean' || measure === 'squaredEuclidean' ? 2 : 1;
  if (measure === 'minkowski') {
    p = numberAttr(el, 'p-parameter');
    if (p < 0) throw new ModelLoadError(`<minkowski> p-parameter="${p}" must not be negative`);
  }
  const root = measure === 'squaredEuclidean' ? 1 : p;
  const max = measure === 'chebychev';
  const pow = powerOf(p);
  const finish = (acc: number, adjustment: number): number => (max || root === 1 ? acc * adjustment : Math.pow(acc * adjustment, 1 / root));
  return {
    defaultCompare,
    distance(x, y, inputs, adjustment) {
      let acc = 0;
      for (let i = 0; i < inputs.length; i++) {
        const v = x[i]!;
        if (v === null) continue;
        const ref = y[i]!;
        // JPMML fails such a record (its instance value is null there).
        if (ref === null) throw new RecordError(`training instance value of KNNInput ${i + 1} is missing`);
        const f = inputs[i]!;
        const d = pow(compareValues(f, v, ref)) * f.weight;
        if (max) { if (d > acc) acc = d; } else acc += d;
      }
      return finish(acc, adjustment);
    },
    absDiffAll: absDiffKernel(p, root, max),
    ...(max || p === 1 || p === 2 ? {} : { absDiffNearest: prunedKernel(p, root) }),
  };
}

type AbsDiffAll = DistanceMeasure['absDiffAll'];

/** absDiffAll specialized per measure: squares and first powers inline, the root only where there is one. */
function absDiffKernel(p: number, root: number, max: boolean): AbsDiffAll {
  if (max) {
    return (x, present, m, train, weights, adjustment, out) => {
      const n = x.length;
      for (let r = 0, base = 0; r < out.length; r++, base += n) {
        let acc = 0;
        for (let j = 0; j < m; j++) { const i = present[j]!; const d = Math.abs(x[i]! - train[base + i]!) * weights[i]!; if (d > acc) acc = d; }
        out[r] = acc * adjustment;
      }
    };
  }
  if (p === 2) {
    return (x, present, m, train, weights, adjustment, out) => {
      const n = x.length;
      for (let r = 0, base = 0; r < out.length; r++, base += n) {
        let acc = 0;
        for (let j = 0; j < m; j++) { const i = present[j]!; const d = x[i]! - train[base + i]!; acc += d * d * weights[i]!; }
        out[r] = root === 1 ? acc * adjustment : Math.pow(acc * adjustment, 1 / root);
      }
    };
  }
  if (p === 1) {
    return (x, present, m, train, weights, adjustment, out) => {
      const n = x.length;
      for (let r = 0, base = 0; r < out.length; r++, base += n) {
        let acc = 0;
        for (let j = 0; j < m; j++) { const i = present[j]!; acc += Math.abs(x[i]! - train[base + i]!) * weights[i]!; }
        out[r] = acc * adjustment;
      }
    };
  }
  return (x, present, m, train, weights, adjustment, out) => {
    const n = x.length;
    for (let r = 0, base = 0; r < out.length; r++, base += n) {
      let acc = 0;
      for (let j = 0; j < m; j++) { const i = present[j]!; acc += Math.pow(Math.abs(x[i]! - train[base + i]!), p) * weights[i]!; }
      out[r] = Math.pow(acc * adjustment, 1 / root);
    }
  };
}

function prunedKernel(p: number, root: number): NonNullable<DistanceMeasure['absDiffNearest']> {
  let acc = new Float64Array(0), top = new Int32Array(0);
  return (x, present, m, train, weights, adjustment, out, k) => {
    const n = x.length, rows = out.length;
    if (acc.length !== rows) { acc = new Float64Array(rows); top = new Int32Array(k + 1); }
    let kept = 0;
    for (let r = 0, base = 0; r < rows; r++, base += n) {
      const limit = kept === k ? acc[top[k - 1]!]! : Infinity;
      let a = 0, j = 0;
      for (; j < m; j++) {
        const i = present[j]!;
        a += Math.pow(Math.abs(x[i]! - train[base + i]!), p) * weights[i]!;
        if (a >= limit) break;
      }
      if (j < m) { out[r] = Infinity; continue; }
      const d = Math.pow(a * adjustment, 1 / root);
      out[r] = d;
      acc[r] = a;
      // The k nearest so far by distance, equal ones in table order (as the final selection).
      if (kept === k && !(d < out[top[k - 1]!]!)) continue;
      let at = kept;
      while (at > 0 && out[top[at - 1]!]! > d) { top[at] = top[at - 1]!; at--; }
      top[at] = r;
      if (kept < k) kept++;
    }
  };
}
