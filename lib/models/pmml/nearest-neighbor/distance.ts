// The distance of the record to one training instance under the ComparisonMeasure (PMML 4.4
// §ComparisonMeasure): per KNNInput c(x, y) from its compareFunction, raised to p and weighted,
// summed (max for chebychev), scaled for missing inputs and rooted (not for squaredEuclidean).
import { ModelLoadError } from '../../api/model.ts';
import type { Value } from '../family.ts';
import { enumAttr, numberAttr, type XmlElement } from '../xml.ts';

const MEASURES = ['euclidean', 'squaredEuclidean', 'chebychev', 'cityBlock', 'minkowski'] as const;
export const COMPARE = ['absDiff', 'gaussSim', 'delta', 'equal'] as const;
export type Compare = (typeof COMPARE)[number];

export interface InputMeasure {
  readonly compare: Compare;
  readonly weight: number;
  /** gaussSim's similarityScale; NaN otherwise. */
  readonly scale: number;
}

export interface Measure {
  readonly defaultCompare: Compare;
  /** Distance of `x` (the record; null = missing) to `y` (an instance) over `inputs`; `adjustment` = inputs / present inputs. */
  distance(x: readonly Value[], y: readonly Value[], inputs: readonly InputMeasure[], adjustment: number): number;
  /**
   * The same distance when every input is numeric and compared by absDiff, over typed arrays (a
   * missing x is NaN and skipped): the same operations in the same order, without per-value dispatch.
   */
  absDiff(x: Float64Array, y: Float64Array, weights: Float64Array, adjustment: number): number;
}

function compareValues(f: InputMeasure, v: Value, ref: Value): number {
  switch (f.compare) {
    case 'absDiff': return Math.abs((v as number) - (ref as number));
    case 'gaussSim': { const z = (v as number) - (ref as number); return Math.exp((-Math.log(2) * z * z) / (f.scale * f.scale)); }
    case 'delta': return v === ref ? 0 : 1;
    case 'equal': return v === ref ? 1 : 0;
  }
}

export function compileMeasure(cm: XmlElement): Measure {
  const kind = enumAttr(cm, 'kind', ['distance'], 'distance');
  const el = cm.children[0];
  if (el === undefined || !(MEASURES as readonly string[]).includes(el.name)) {
    throw new ModelLoadError(`<ComparisonMeasure kind="${kind}">: measure <${el?.name ?? 'none'}> is not supported (supported: ${MEASURES.join(', ')})`);
  }
  const measure = el.name as (typeof MEASURES)[number];
  // "The ComparisonMeasure element is limited to attribute-less comparison functions" (gaussSim needs similarityScale).
  const defaultCompare = enumAttr(cm, 'compareFunction', ['absDiff', 'delta', 'equal'], 'absDiff');
  let p = measure === 'euclidean' || measure === 'squaredEuclidean' ? 2 : 1;
  if (measure === 'minkowski') {
    p = numberAttr(el, 'p-parameter');
    if (p < 0) throw new ModelLoadError(`<minkowski> p-parameter="${p}" must not be negative`);
  }
  const root = measure === 'squaredEuclidean' ? 1 : p;
  const max = measure === 'chebychev';
  return {
    defaultCompare,
    distance(x, y, inputs, adjustment) {
      let acc = 0;
      for (let i = 0; i < inputs.length; i++) {
        const v = x[i]!;
        if (v === null) continue;
        const f = inputs[i]!;
        const d = Math.pow(compareValues(f, v, y[i]!), p) * f.weight;
        if (max) { if (d > acc) acc = d; } else acc += d;
      }
      return max ? acc * adjustment : Math.pow(acc * adjustment, 1 / root);
    },
    absDiff(x, y, weights, adjustment) {
      let acc = 0;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v !== v) continue;
        const d = Math.pow(Math.abs(v - y[i]!), p) * weights[i]!;
        if (max) { if (d > acc) acc = d; } else acc += d;
      }
      return max ? acc * adjustment : Math.pow(acc * adjustment, 1 / root);
    },
  };
}
