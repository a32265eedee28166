// RegressionModel normalization in float32 (x-mathContext="float"), as JPMML's FloatValue computes
// it: exp(x) is (float) pow(2.7182817d, x), and each step is rounded to float32. Softmax is exact
// to JPMML's steps; the other methods are computed in doubles and rounded once at the end.
import type { NormalizationMethod } from './normalization.ts';

const f = Math.fround;
/** JPMML's float e: the double literal 2.7182817, not Math.E rounded to float. */
const FLOAT_E = 2.7182817;
const floatExp = (x: number): number => f(Math.pow(FLOAT_E, x));

/** A regression transform rounded to float32 (its input rounded first). */
export function floatTransform(t: ((y: number) => number) | null): ((y: number) => number) | null {
  return t === null ? null : (y) => f(t(f(y)));
}

/** In place: softmax over float32 scores (max subtracted, float exp and sum, divided unless the sum is 1). */
function floatSoftmax(y: number[]): void {
  let max = -Infinity;
  for (let i = 0; i < y.length; i++) if (y[i]! > max) max = y[i]!;
  let sum = 0;
  for (let i = 0; i < y.length; i++) { y[i] = floatExp(f(y[i]! - max)); sum = f(sum + y[i]!); }
  if (sum === 1) return;
  for (let i = 0; i < y.length; i++) y[i] = f(y[i]! / sum);
}

export function floatNormalizer(method: NormalizationMethod, double: (y: number[]) => void): (y: number[]) => void {
  if (method === 'softmax') return floatSoftmax;
  // Only reached for two categories (binomial): 1f / (1f + exp(-y)), the second its residual.
  if (method === 'logit') return (y) => { if (y.length !== 2) { double(y); for (let i = 0; i < y.length; i++) y[i] = f(y[i]!); return; } y[0] = f(1 / f(1 + floatExp(-f(y[0]!)))); y[1] = f(1 - y[0]); };
  return (y) => { double(y); for (let i = 0; i < y.length; i++) y[i] = f(y[i]!); };
}
