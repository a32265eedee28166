// The linear predictor η = Σ β_j·x_j of a GeneralRegressionModel, compiled into flat arrays.
// x_j is the product of the PPCells of parameter j (PMML General Regression, PPMatrix):
// a factor cell contributes 1 when the field equals the cell's value and 0 otherwise, a
// covariate cell contributes field^value; a parameter without cells (the intercept) has x_j = 1.
// Terms are summed in ParamMatrix order, factors before covariates, as JPMML-Evaluator does,
// so that floating-point results agree exactly.
import { RecordError } from '../../api/model.ts';
import type { FeatureValue } from '../../api/model.ts';

/** One PPCell of a parameter, already resolved against FactorList/CovariateList. */
export type PredictorTerm =
  | { readonly kind: 'factor'; readonly field: string; readonly category: string }
  | { readonly kind: 'covariate'; readonly field: string; readonly exponent: number };

/** One PCell with the PPCells of its parameter. */
export interface ParameterTerm {
  readonly parameter: string;
  readonly beta: number;
  readonly terms: readonly PredictorTerm[];
}

/** η for one record: `null` when a field it needs is missing (JPMML then yields no prediction). */
export type LinearPredictor = (values: ArrayLike<FeatureValue>) => number | null;

/** Whether a field value counts as missing. */
export function isMissing(v: FeatureValue): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function numeric(v: FeatureValue, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new RecordError(`covariate "${field}" has the non-numeric value ${JSON.stringify(v)}`);
  return n;
}

/**
 * Compiles the parameter terms of one equation. `fieldIndex` maps a field name to its slot in
 * the values array that the returned function reads.
 */
export function compileLinearPredictor(
  params: readonly ParameterTerm[],
  fieldIndex: (field: string) => number,
): LinearPredictor {
  const n = params.length;
  const beta = new Float64Array(n);
  const start = new Int32Array(n + 1);
  const fields: number[] = [];
  const names: string[] = [];
  const exponents: number[] = [];
  const catStr: string[] = [];
  const catNum: number[] = [];
  const factorEnd = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const p = params[r] as ParameterTerm;
    beta[r] = p.beta;
    start[r] = fields.length;
    const ordered = [...p.terms.filter((t) => t.kind === 'factor'), ...p.terms.filter((t) => t.kind === 'covariate')];
    for (const t of ordered) {
      fields.push(fieldIndex(t.field));
      names.push(t.field);
      if (t.kind === 'factor') {
        exponents.push(1);
        catStr.push(t.category);
        catNum.push(t.category.trim() === '' ? NaN : Number(t.category));
      } else {
        exponents.push(t.exponent);
        catStr.push('');
        catNum.push(NaN);
      }
    }
    factorEnd[r] = start[r]! + p.terms.filter((t) => t.kind === 'factor').length;
  }
  start[n] = fields.length;
  const field = Int32Array.from(fields);
  const exponent = Float64Array.from(exponents);
  const num = Float64Array.from(catNum);

  return (values) => {
    let eta = 0;
    for (let r = 0; r < n; r++) {
      const s = start[r] as number;
      const e = start[r + 1] as number;
      if (s === e) {
        eta += beta[r] as number;
        continue;
      }
      let x = 1;
      const fe = factorEnd[r] as number;
      for (let t = s; t < fe; t++) {
        const v = values[field[t] as number];
        if (isMissing(v)) return null;
        const same = typeof v === 'number' ? v === num[t] : String(v) === catStr[t];
        if (!same) x *= 0;
      }
      if (x === 0) {
        eta += (beta[r] as number) * x;
        continue;
      }
      for (let t = fe; t < e; t++) {
        const v = values[field[t] as number];
        if (isMissing(v)) return null;
        const xv = typeof v === 'number' ? v : numeric(v, names[t] as string);
        const ex = exponent[t] as number;
        x *= ex === 1 ? xv : Math.pow(xv, ex);
      }
      eta += (beta[r] as number) * x;
    }
    return eta;
  };
}
