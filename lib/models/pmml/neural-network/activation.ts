// Neuron activation functions and layer normalization of PMML's NeuralNetwork (ACTIVATION-FUNCTION
// and NN-NORMALIZATION-METHOD, PMML 4.3/4.4). Formulas follow the PMML Neural Network page; where
// it leaves room (arctan's scale, softmax's max shift, simplemax on a zero sum) they follow
// JPMML-Evaluator so that results agree exactly.

export const ACTIVATION_FUNCTIONS = [
  'threshold', 'logistic', 'tanh', 'identity', 'exponential', 'reciprocal', 'square', 'Gauss',
  'sine', 'cosine', 'Elliott', 'arctan', 'rectifier', 'radialBasis',
] as const;
export type ActivationFunction = (typeof ACTIVATION_FUNCTIONS)[number];

export const NORMALIZATION_METHODS = ['none', 'simplemax', 'softmax'] as const;
export type NormalizationMethod = (typeof NORMALIZATION_METHODS)[number];

export type Activation = (z: number) => number;

export interface ActivationParameters {
  /** `threshold` (PMML default 0), used by the threshold function. */
  readonly threshold?: number | undefined;
  /** `x-leakage` (a JPMML extension), the slope of rectifier below zero; absent means plain ReLU. */
  readonly leakage?: number | undefined;
}

const identity: Activation = (z) => z;

/** The activation of a weighted-sum layer (every function but radialBasis). */
export function activation(fn: Exclude<ActivationFunction, 'radialBasis'>, params: ActivationParameters = {}): Activation {
  switch (fn) {
    case 'threshold': {
      const t = params.threshold ?? 0;
      return (z) => (z > t ? 1 : 0);
    }
    case 'logistic': return (z) => 1 / (1 + Math.exp(-z));
    case 'tanh': return Math.tanh;
    case 'identity': return identity;
    case 'exponential': return Math.exp;
    case 'reciprocal': return (z) => 1 / z;
    case 'square': return (z) => z * z;
    case 'Gauss': return (z) => Math.exp(-(z * z));
    case 'sine': return Math.sin;
    case 'cosine': return Math.cos;
    case 'Elliott': return (z) => z / (1 + Math.abs(z));
    // Scaled into (-1, 1) as the PMML page defines it: 2·atan(Z)/π.
    case 'arctan': return (z) => (2 * Math.atan(z)) / Math.PI;
    case 'rectifier': {
      const leak = params.leakage;
      if (leak === undefined) return (z) => Math.max(z, 0);
      return (z) => (z > 0 ? z : z * leak);
    }
  }
}

/** Thrown by `normalize` when simplemax or softmax divides by a zero sum. */
export class UndefinedNormalizationError extends Error {
  override readonly name = 'UndefinedNormalizationError';
}

/**
 * Normalizes `values[from..to)` in place. softmax subtracts the maximum before exponentiating
 * (same result, no overflow); a sum of exactly one is left undivided.
 */
export function normalize(method: NormalizationMethod, values: Float64Array, from: number, to: number): void {
  if (method === 'none' || to <= from) return;
  let sum = 0;
  if (method === 'softmax') {
    let max = values[from] as number;
    for (let i = from + 1; i < to; i++) if ((values[i] as number) > max) max = values[i] as number;
    for (let i = from; i < to; i++) sum += values[i] = Math.exp((values[i] as number) - max);
  } else {
    for (let i = from; i < to; i++) sum += values[i] as number;
  }
  if (sum === 1) return;
  if (sum === 0) throw new UndefinedNormalizationError(`${method} normalization of a layer whose outputs sum to zero`);
  for (let i = from; i < to; i++) values[i] = (values[i] as number) / sum;
}
