// SVM kernels (PMML 4.4 §SupportVectorMachineModel, "Kernel Types"): K(x, y) of the record's
// vector x and a support vector y. Attribute defaults are the spec's: gamma 1, coef0 1, degree 1.
import { ModelLoadError } from '../../api/model.ts';
import { numberAttr, type XmlElement } from '../xml.ts';

export type Kernel = (x: Float64Array, y: Float64Array) => number;

/**
 * The record's vector with its non-zero components listed: encoded categorical inputs make most
 * components 0, and a term with a zero factor adds exactly nothing to a dot product.
 */
export interface SparseInput {
  readonly x: Float64Array;
  readonly nz: Int32Array;
  readonly count: number;
}

export function sparse(x: Float64Array, nz: Int32Array): SparseInput {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nz[count++] = i;
  return { x, nz, count };
}

/** x·y over x's non-zero components, in index order: the same sum as the dense loop. */
export function sparseDot(v: SparseInput, y: Float64Array): number {
  const { x, nz, count } = v;
  let s = 0;
  for (let k = 0; k < count; k++) { const i = nz[k]!; s += x[i]! * y[i]!; }
  return s;
}

/**
 * K(x, y) from x·y and |y|² (precomputed per support vector): |x − y|² = |y|² + Σ x(x − 2y) over
 * x's non-zero components. Not the dense loop's rounding, but within a few ulps of |x − y|² scale.
 */
export type SparseKernel = (v: SparseInput, y: Float64Array, yy: number) => number;

export const KERNELS = ['LinearKernelType', 'PolynomialKernelType', 'RadialBasisKernelType', 'SigmoidKernelType'] as const;

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** Compiles the model's kernel element; `linear` tells the Coefficients representation whether it may be used. */
export function compileKernel(model: XmlElement): { kernel: Kernel; linear: boolean; sparse: SparseKernel } {
  const el = model.children.find((c) => c.name.endsWith('KernelType'));
  if (el === undefined) throw new ModelLoadError(`<SupportVectorMachineModel> lacks a kernel (one of ${KERNELS.join(', ')})`);
  switch (el.name) {
    case 'LinearKernelType':
      return { kernel: dot, linear: true, sparse: (v, y) => sparseDot(v, y) };
    case 'PolynomialKernelType': {
      const gamma = numberAttr(el, 'gamma', 1), coef0 = numberAttr(el, 'coef0', 1), degree = numberAttr(el, 'degree', 1);
      return { kernel: (x, y) => Math.pow(gamma * dot(x, y) + coef0, degree), linear: false, sparse: (v, y) => Math.pow(gamma * sparseDot(v, y) + coef0, degree) };
    }
    case 'RadialBasisKernelType': {
      const gamma = numberAttr(el, 'gamma', 1);
      return {
        kernel: (x, y) => {
          let s = 0;
          for (let i = 0; i < x.length; i++) { const d = x[i]! - y[i]!; s += d * d; }
          return Math.exp(-gamma * s);
        },
        linear: false,
        sparse: (v, y, yy) => {
          const { x, nz, count } = v;
          let s = yy;
          for (let k = 0; k < count; k++) { const i = nz[k]!; const xi = x[i]!; s += xi * (xi - 2 * y[i]!); }
          // Rounding may leave a tiny negative distance for x = y.
          return Math.exp(-gamma * (s < 0 ? 0 : s));
        },
      };
    }
    case 'SigmoidKernelType': {
      const gamma = numberAttr(el, 'gamma', 1), coef0 = numberAttr(el, 'coef0', 1);
      return { kernel: (x, y) => Math.tanh(gamma * dot(x, y) + coef0), linear: false, sparse: (v, y) => Math.tanh(gamma * sparseDot(v, y) + coef0) };
    }
    default:
      throw new ModelLoadError(`<${el.name}> is not supported (supported: ${KERNELS.join(', ')})`);
  }
}
