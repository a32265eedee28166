// SVM kernels (PMML 4.4 §SupportVectorMachineModel, "Kernel Types"): K(x, y) of the record's
// vector x and a support vector y. Attribute defaults are the spec's: gamma 1, coef0 1, degree 1.
import { ModelLoadError } from '../../api/model.ts';
import { numberAttr, type XmlElement } from '../xml.ts';

export type Kernel = (x: Float64Array, y: Float64Array) => number;

export const KERNELS = ['LinearKernelType', 'PolynomialKernelType', 'RadialBasisKernelType', 'SigmoidKernelType'] as const;

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** Compiles the model's kernel element; `linear` tells the Coefficients representation whether it may be used. */
export function compileKernel(model: XmlElement): { kernel: Kernel; linear: boolean } {
  const el = model.children.find((c) => c.name.endsWith('KernelType'));
  if (el === undefined) throw new ModelLoadError(`<SupportVectorMachineModel> lacks a kernel (one of ${KERNELS.join(', ')})`);
  switch (el.name) {
    case 'LinearKernelType':
      return { kernel: dot, linear: true };
    case 'PolynomialKernelType': {
      const gamma = numberAttr(el, 'gamma', 1), coef0 = numberAttr(el, 'coef0', 1), degree = numberAttr(el, 'degree', 1);
      return { kernel: (x, y) => Math.pow(gamma * dot(x, y) + coef0, degree), linear: false };
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
      };
    }
    case 'SigmoidKernelType': {
      const gamma = numberAttr(el, 'gamma', 1), coef0 = numberAttr(el, 'coef0', 1);
      return { kernel: (x, y) => Math.tanh(gamma * dot(x, y) + coef0), linear: false };
    }
    default:
      throw new ModelLoadError(`<${el.name}> is not supported (supported: ${KERNELS.join(', ')})`);
  }
}
