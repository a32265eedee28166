// The inverse of a NormContinuous piecewise-linear map, for NeuralOutput of a regression network:
// the output neuron gives the normalized value and the prediction is its `orig` counterpart.
import { ModelLoadError } from '../../api/model.ts';

export interface LinearNorm { readonly orig: number; readonly norm: number }

export type Denormalize = (norm: number) => number;

/**
 * Compiles the inverse of `norms` (at least two, `norm` strictly ascending or descending).
 * A value beyond the end points (or NaN) gives NaN: the inverse is defined on the norm range
 * only, and JPMML-Evaluator, our reference, rejects such a record rather than extrapolate.
 */
export function compileDenormalize(norms: readonly LinearNorm[]): Denormalize {
  if (norms.length < 2) throw new ModelLoadError('<NormContinuous> of a NeuralOutput needs at least two LinearNorm elements');
  let pts = norms.map((p) => ({ orig: p.orig, norm: p.norm }));
  const ascending = (pts[1] as LinearNorm).norm > (pts[0] as LinearNorm).norm;
  if (!ascending) pts = pts.reverse();
  for (let i = 1; i < pts.length; i++) {
    if (!((pts[i] as LinearNorm).norm > (pts[i - 1] as LinearNorm).norm)) {
      throw new ModelLoadError('<NormContinuous> of a NeuralOutput: LinearNorm norm values are not strictly monotonic, so it has no inverse');
    }
  }
  const orig = Float64Array.from(pts, (p) => p.orig);
  const norm = Float64Array.from(pts, (p) => p.norm);
  const last = pts.length - 2; // index of the last segment
  const lo = norm[0] as number, hi = norm[last + 1] as number;
  return (y) => {
    if (!(y >= lo && y <= hi)) return NaN;
    let i = 0;
    if (y > (norm[1] as number)) {
      // Segments are few; a linear scan beats a binary search at these sizes.
      i = 1;
      while (i < last && y > (norm[i + 1] as number)) i++;
    }
    const n0 = norm[i] as number, n1 = norm[i + 1] as number;
    const o0 = orig[i] as number, o1 = orig[i + 1] as number;
    return ((y - n0) / (n1 - n0)) * (o1 - o0) + o0;
  };
}
