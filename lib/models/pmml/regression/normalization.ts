// RegressionModel normalizationMethod (PMML 4.4 §Regression), applied as JPMML's
// RegressionModelUtil does: binomial (p2 = 1 − p1), multinomial (softmax/simplemax, or
// last = 1 − Σ others for none) and ordinal (cumulative differences) classification.
import { inverseCumulativeLink } from '../general-regression/link.ts';

export const NORMALIZATION_METHODS = ['none', 'simplemax', 'softmax', 'logit', 'probit', 'cloglog', 'exp', 'loglog', 'cauchit'] as const;
export type NormalizationMethod = (typeof NORMALIZATION_METHODS)[number];

/** Regression result transform: softmax and logit are both the logistic function here. */
export function regressionTransform(method: Exclude<NormalizationMethod, 'simplemax'>): ((y: number) => number) | null {
  switch (method) {
    case 'none': return null;
    case 'softmax': case 'logit': return inverseCumulativeLink('logit');
    case 'exp': return Math.exp;
    default: return inverseCumulativeLink(method);
  }
}

/** Binary-classification link: `none` clamps to [0, 1]. */
function binaryLink(method: 'none' | 'logit' | 'probit' | 'cloglog' | 'loglog' | 'cauchit'): (y: number) => number {
  if (method === 'none') return (y) => (y < 0 ? 0 : y > 1 ? 1 : y);
  return inverseCumulativeLink(method);
}

/** In place: first category by the link, second the residual. */
export function binomial(method: Parameters<typeof binaryLink>[0]): (y: number[]) => void {
  const f = binaryLink(method);
  return (y) => { y[0] = f(y[0]!); y[1] = 1 - y[0]; };
}

/** In place: softmax/simplemax over all; none: the last category is 1 − Σ of the others (unclamped). */
export function multinomial(method: 'none' | 'softmax' | 'simplemax' | 'logit'): (y: number[]) => void {
  if (method === 'none') {
    return (y) => {
      let sum = y[0]!;
      for (let i = 1; i < y.length - 1; i++) sum += y[i]!;
      y[y.length - 1] = 1 - sum;
    };
  }
  if (method === 'softmax') {
    // exp(y − max): no overflow for large scores (JPMML gives 1 to the winner there, not NaN).
    return (y) => {
      let max = -Infinity, sum = 0;
      for (let i = 0; i < y.length; i++) if (y[i]! > max) max = y[i]!;
      for (let i = 0; i < y.length; i++) { y[i] = Math.exp(y[i]! - max); sum += y[i]!; }
      for (let i = 0; i < y.length; i++) y[i] = y[i]! / sum;
    };
  }
  // JPMML (non-standard): multinomial logit is the logistic function per category, then simplemax.
  const pre = method === 'logit' ? inverseCumulativeLink('logit') : null;
  return (y) => {
    let sum = 0;
    for (let i = 0; i < y.length; i++) { if (pre !== null) y[i] = pre(y[i]!); sum += y[i]!; }
    for (let i = 0; i < y.length; i++) y[i] = y[i]! / sum;
  };
}

/** In place: cumulative probabilities F(y_k) turned into per-category differences; last = 1 − Σ. */
export function ordinal(method: Parameters<typeof binaryLink>[0]): (y: number[]) => void {
  const f = binaryLink(method);
  return (y) => {
    let sum = 0;
    for (let i = 0; i < y.length - 1; i++) {
      const c = f(y[i]!);
      if (i === 0) { y[i] = c; sum = c; } else { y[i] = c - sum; sum += y[i]!; }
    }
    y[y.length - 1] = 1 - sum;
  };
}
