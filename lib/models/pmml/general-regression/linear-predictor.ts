// The linear predictor η = Σ β_j·x_j of a GeneralRegressionModel, compiled into flat arrays.
// x_j is the product of the PPCells of parameter j (PMML General Regression, PPMatrix):
// a factor cell contributes 1 when the field equals the cell's value and 0 otherwise (or, with a
// contrast matrix, the element at the value's row and the cell's column), a covariate cell
// contributes field^value; a parameter without cells (the intercept) has x_j = 1.
// Terms are summed in ParamMatrix order, factors before covariates, as JPMML-Evaluator does,
// so that floating-point results agree exactly.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { FeatureValue } from '../../api/model.ts';
import type { Contrast } from './contrast.ts';

/** One PPCell of a parameter, already resolved against FactorList/CovariateList. */
export type PredictorTerm =
  | { readonly kind: 'factor'; readonly field: string; readonly category: string; readonly contrast?: Contrast | undefined }
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

/** A factor level as both a string and a number, so it matches string and numeric fields. */
interface Level { readonly str: string; readonly num: number }
const level = (s: string): Level => ({ str: s, num: s.trim() === '' ? NaN : Number(s) });
const matches = (v: Exclude<FeatureValue, null | undefined>, l: Level): boolean =>
  typeof v === 'number' ? v === l.num : String(v) === l.str;

/** A contrast-coded factor term: the factor's levels (matrix rows) and the cell's column. */
interface ContrastTerm { readonly levels: readonly Level[]; readonly column: Float64Array }

function contrastTerm(t: { field: string; category: string; contrast: Contrast }): ContrastTerm {
  const col = t.contrast.categories.indexOf(t.category);
  if (col < 0) throw new ModelLoadError(`<PPCell value="${t.category}" predictorName="${t.field}">: the value is not among the factor's Categories`);
  const column = Float64Array.from(t.contrast.matrix, (row) => {
    const v = row[col];
    if (v === undefined) throw new ModelLoadError(`<Predictor name="${t.field}">: its Matrix has no column ${col + 1} for PPCell value "${t.category}"`);
    return v;
  });
  return { levels: t.contrast.categories.map(level), column };
}

/**
 * Compiles the parameter terms of one equation. `fieldIndex` maps a field name to its slot in
 * the values array that the returned function reads.
 */
export function compileLinearPredictor(params: readonly ParameterTerm[], fieldIndex: (field: string) => number): LinearPredictor {
  const n = params.length;
  const beta = new Float64Array(n);
  const start = new Int32Array(n + 1);
  const factorEnd = new Int32Array(n);
  const fields: number[] = [];
  const names: string[] = [];
  const exponents: number[] = [];
  const levels: Level[] = [];
  const contrasts: (ContrastTerm | null)[] = [];
  for (let r = 0; r < n; r++) {
    const p = params[r] as ParameterTerm;
    beta[r] = p.beta;
    start[r] = fields.length;
    const factors = p.terms.filter((t) => t.kind === 'factor');
    for (const t of [...factors, ...p.terms.filter((t) => t.kind === 'covariate')]) {
      fields.push(fieldIndex(t.field));
      names.push(t.field);
      if (t.kind === 'factor') {
        exponents.push(1);
        levels.push(level(t.category));
        contrasts.push(t.contrast ? contrastTerm({ field: t.field, category: t.category, contrast: t.contrast }) : null);
      } else {
        exponents.push(t.exponent);
        levels.push(level(''));
        contrasts.push(null);
      }
    }
    factorEnd[r] = (start[r] as number) + factors.length;
  }
  start[n] = fields.length;
  const field = Int32Array.from(fields);
  const exponent = Float64Array.from(exponents);

  const contrastValue = (t: number, v: Exclude<FeatureValue, null | undefined>): number => {
    const c = contrasts[t] as ContrastTerm;
    for (let i = 0; i < c.levels.length; i++) {
      if (matches(v, c.levels[i] as Level)) {
        const m = c.column[i] as number;
        if (Number.isNaN(m)) throw new RecordError(`the contrast Matrix of factor "${names[t]}" has no element for ${JSON.stringify(v)}`);
        return m;
      }
    }
    throw new RecordError(`factor "${names[t]}" has the value ${JSON.stringify(v)}, which is not among its contrast Categories`);
  };

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
        if (contrasts[t] !== null) x *= contrastValue(t, v);
        else if (!matches(v, levels[t] as Level)) x *= 0;
      }
      if (x !== 0) {
        for (let t = fe; t < e; t++) {
          const v = values[field[t] as number];
          if (isMissing(v)) return null;
          const xv = typeof v === 'number' ? v : numeric(v, names[t] as string);
          const ex = exponent[t] as number;
          x *= ex === 1 ? xv : Math.pow(xv, ex);
        }
      }
      eta += (beta[r] as number) * x;
    }
    return eta;
  };
}
