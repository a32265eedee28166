// GeneralRegressionModel scoring from a plain description (no XML): the model types of PMML
// 4.3/4.4 except CoxRegression. Semantics follow the PMML General Regression page; where the
// page is silent (reference-category order, when offset and trials apply) they follow
// JPMML-Evaluator, our reference: offset and trials apply to generalizedLinear, the offset
// also to ordinalMultinomial, and the reference category is scored last.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { FeatureValue } from '../../api/model.ts';
import { inverseCumulativeLink, inverseLink, MissingLinkParameterError } from './link.ts';
import type { CumulativeLink, InverseLink, LinkFunction } from './link.ts';
import type { Contrast } from './contrast.ts';
import { compileLinearPredictor, isMissing } from './linear-predictor.ts';
import type { LinearPredictor, ParameterTerm, PredictorTerm } from './linear-predictor.ts';

export type ModelType = 'regression' | 'generalLinear' | 'generalizedLinear' | 'multinomialLogistic' | 'ordinalMultinomial';

export interface PCellSpec { readonly parameter: string; readonly beta: number; readonly targetCategory?: string | undefined }
export interface PPCellSpec {
  readonly parameter: string;
  readonly predictor: string;
  readonly value: string;
  readonly targetCategory?: string | undefined;
}

/** A fixed number or a field's value (offsetValue/offsetVariable, trialsValue/trialsVariable). */
export type NumberSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'field'; readonly field: string };

export interface GeneralRegressionSpec {
  readonly modelType: ModelType;
  readonly functionName: 'regression' | 'classification';
  readonly factors: readonly string[];
  /** Contrast coding of factors that declare Categories and a Matrix, by factor name. */
  readonly contrasts?: ReadonlyMap<string, Contrast> | undefined;
  readonly covariates: readonly string[];
  readonly ppCells: readonly PPCellSpec[];
  readonly pCells: readonly PCellSpec[];
  readonly linkFunction?: LinkFunction | undefined;
  readonly linkParameter?: number | undefined;
  readonly distParameter?: number | undefined;
  readonly cumulativeLink?: CumulativeLink | undefined;
  readonly offset: NumberSource;
  readonly trials: NumberSource;
  /** The target's categories in DataDictionary order (classification only). */
  readonly targetCategories?: readonly string[] | undefined;
  readonly targetReferenceCategory?: string | undefined;
}

/** Where classification scoring writes one probability per category: an array or a Float64Array. */
export type ProbabilityBuffer = { [index: number]: number };

export type CompiledGeneralRegression =
  | {
      readonly kind: 'regression';
      /** Fields read, in the order of the values array passed to `score`. */
      readonly fields: readonly string[];
      /** The predicted value, or null when an input it needs is missing. */
      readonly score: (values: ArrayLike<FeatureValue>) => number | null;
    }
  | {
      readonly kind: 'classification';
      readonly fields: readonly string[];
      /** Category labels, in the order `score` writes their probabilities. */
      readonly categories: readonly string[];
      /** Writes the probabilities into `out`; false when an input it needs is missing. */
      readonly score: (values: ArrayLike<FeatureValue>, out: ProbabilityBuffer) => boolean;
    };

const fail = (msg: string): never => { throw new ModelLoadError(msg); };

/** Groups cells by targetCategory ('' key for cells without one), keeping document order. */
function byTarget<C extends { readonly targetCategory?: string | undefined }>(cells: readonly C[]): Map<string | undefined, C[]> {
  const m = new Map<string | undefined, C[]>();
  for (const c of cells) {
    const list = m.get(c.targetCategory);
    if (list) list.push(c);
    else m.set(c.targetCategory, [c]);
  }
  return m;
}

class FieldSlots {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  slot = (name: string): number => {
    let i = this.index.get(name);
    if (i === undefined) { i = this.names.length; this.index.set(name, i); this.names.push(name); }
    return i;
  };
}

function resolveTerms(spec: GeneralRegressionSpec, ppCells: readonly PPCellSpec[]): Map<string, PredictorTerm[]> {
  const factors = new Set(spec.factors);
  const covariates = new Set(spec.covariates);
  const terms = new Map<string, PredictorTerm[]>();
  for (const cell of ppCells) {
    let term: PredictorTerm;
    if (factors.has(cell.predictor)) term = { kind: 'factor', field: cell.predictor, category: cell.value, contrast: spec.contrasts?.get(cell.predictor) };
    else if (covariates.has(cell.predictor)) {
      const exponent = Number(cell.value);
      if (cell.value.trim() === '' || Number.isNaN(exponent)) fail(`<PPCell> value="${cell.value}" of covariate "${cell.predictor}" is not a number`);
      term = { kind: 'covariate', field: cell.predictor, exponent };
    } else return fail(`<PPCell> predictorName="${cell.predictor}" is in neither FactorList nor CovariateList`);
    const list = terms.get(cell.parameter);
    if (list) list.push(term);
    else terms.set(cell.parameter, [term]);
  }
  return terms;
}

function equation(pCells: readonly PCellSpec[], terms: Map<string, PredictorTerm[]>, slots: FieldSlots): LinearPredictor {
  const params: ParameterTerm[] = pCells.map((c) => ({ parameter: c.parameter, beta: c.beta, terms: terms.get(c.parameter) ?? [] }));
  return compileLinearPredictor(params, slots.slot);
}

function numberSource(src: NumberSource, slots: FieldSlots, what: string, integer: boolean): ((values: ArrayLike<FeatureValue>) => number) | null {
  switch (src.kind) {
    case 'none': return null;
    case 'value': {
      const v = src.value;
      if (integer && !Number.isInteger(v)) fail(`<GeneralRegressionModel> ${what}Value="${v}" is not an integer`);
      return () => v;
    }
    case 'field': {
      const i = slots.slot(src.field);
      const name = src.field;
      return (values) => {
        const raw = values[i];
        if (isMissing(raw)) throw new RecordError(`${what}Variable "${name}" is missing`);
        const v = typeof raw === 'number' ? raw : Number(raw);
        if (Number.isNaN(v) || (integer && !Number.isInteger(v))) {
          throw new RecordError(`${what}Variable "${name}" has the value ${JSON.stringify(raw)}, not ${integer ? 'an integer' : 'a number'}`);
        }
        return v;
      };
    }
  }
}

function link(spec: GeneralRegressionSpec): InverseLink {
  const name = spec.linkFunction ?? fail('<GeneralRegressionModel modelType="generalizedLinear"> lacks the attribute linkFunction');
  try {
    return inverseLink(name, spec);
  } catch (e) {
    if (e instanceof MissingLinkParameterError) throw new ModelLoadError(`<GeneralRegressionModel> ${e.message}`, { cause: e });
    throw e;
  }
}

/** μ = g⁻¹(η + offset)·trials, the generalizedLinear mean. */
function generalizedMean(spec: GeneralRegressionSpec, slots: FieldSlots): (eta: number, values: ArrayLike<FeatureValue>) => number {
  const g = link(spec);
  const offset = numberSource(spec.offset, slots, 'offset', false);
  const trials = numberSource(spec.trials, slots, 'trials', true);
  if (!offset && !trials) return (eta) => g(eta);
  return (eta, values) => {
    const mu = g(offset ? eta + offset(values) : eta);
    return trials ? mu * trials(values) : mu;
  };
}

function compileRegression(spec: GeneralRegressionSpec): CompiledGeneralRegression {
  const slots = new FieldSlots();
  const pcs = byTarget(spec.pCells);
  const pps = byTarget(spec.ppCells);
  if (pcs.size > 1 || (pcs.size === 1 && !pcs.has(undefined))) fail('<ParamMatrix> of a regression model has PCells with targetCategory');
  if (pps.size > 1 || (pps.size === 1 && !pps.has(undefined))) fail('<PPMatrix> of a regression model has PPCells with targetCategory');
  const eta = equation(pcs.get(undefined) ?? [], resolveTerms(spec, spec.ppCells), slots);
  const empty = spec.pCells.length === 0;
  switch (spec.modelType) {
    case 'regression':
    case 'generalLinear':
      return { kind: 'regression', fields: slots.names, score: (values) => (empty ? null : eta(values)) };
    case 'generalizedLinear': {
      const mean = generalizedMean(spec, slots);
      return {
        kind: 'regression',
        fields: slots.names,
        score: (values) => {
          const e = empty ? null : eta(values);
          return e === null ? null : mean(e, values);
        },
      };
    }
    default:
      return fail(`<GeneralRegressionModel> modelType="${spec.modelType}" cannot have functionName="regression"`);
  }
}

export function compileGeneralRegression(spec: GeneralRegressionSpec): CompiledGeneralRegression {
  return spec.functionName === 'regression' ? compileRegression(spec) : compileClassification(spec);
}

/** Target categories in scoring order: the reference category moves to the end. */
function orderCategories(spec: GeneralRegressionSpec, pcs: Map<string | undefined, PCellSpec[]>): string[] {
  const cats = [...(spec.targetCategories ?? [])];
  if (cats.length < 2) fail('<GeneralRegressionModel functionName="classification"> needs a target with at least two categories (DataField Value elements)');
  let reference = spec.targetReferenceCategory;
  if (reference === undefined && spec.modelType !== 'ordinalMultinomial') {
    // "The reference category is the one from DataDictionary that does not appear in the ParamMatrix".
    const absent = cats.filter((c) => !pcs.has(c));
    if (absent.length !== 1) fail(`<ParamMatrix> leaves ${absent.length} target categories without PCells; exactly one (the reference category) must be, or set targetReferenceCategory`);
    reference = absent[0];
  }
  if (reference !== undefined) {
    const i = cats.indexOf(reference);
    if (i >= 0) { cats.splice(i, 1); cats.push(reference); }
  }
  return cats;
}

function compileClassification(spec: GeneralRegressionSpec): CompiledGeneralRegression {
  const slots = new FieldSlots();
  const pcs = byTarget(spec.pCells);
  const pps = byTarget(spec.ppCells);
  const cats = orderCategories(spec, pcs);
  const k = cats.length;
  const termsFor = (cat: string): Map<string, PredictorTerm[]> => {
    if (spec.ppCells.length === 0) return new Map();
    const cells = pps.get(cat) ?? pps.get(undefined) ?? fail(`<PPMatrix> has no PPCells for target category "${cat}" and no PPCells without targetCategory`);
    return resolveTerms(spec, cells);
  };
  const equations: LinearPredictor[] = [];
  for (let i = 0; i < k - 1; i++) {
    const cat = cats[i] as string;
    let cells: PCellSpec[];
    if (spec.modelType === 'ordinalMultinomial') {
      // One intercept per category but the last; every other parameter is shared.
      const intercepts = pcs.get(cat);
      if (!intercepts || intercepts.length !== 1) fail(`<ParamMatrix> of an ordinalMultinomial model needs exactly one PCell (the intercept) for target category "${cat}"`);
      cells = [...(pcs.get(undefined) ?? []), ...(intercepts as PCellSpec[])];
    } else if (spec.modelType === 'multinomialLogistic' || spec.modelType === 'generalizedLinear') {
      cells = pcs.get(cat) ?? (k === 2 ? pcs.get(undefined) : undefined) ?? fail(`<ParamMatrix> has no PCells for target category "${cat}"`);
    } else {
      return fail(`<GeneralRegressionModel> modelType="${spec.modelType}" cannot have functionName="classification"`);
    }
    equations.push(equation(cells, termsFor(cat), slots));
  }
  const score = classificationScorer(spec, equations, slots);
  return { kind: 'classification', fields: slots.names, categories: cats, score };
}

type ClassScorer = (values: ArrayLike<FeatureValue>, out: ProbabilityBuffer) => boolean;

function classificationScorer(spec: GeneralRegressionSpec, equations: readonly LinearPredictor[], slots: FieldSlots): ClassScorer {
  const m = equations.length;
  switch (spec.modelType) {
    case 'multinomialLogistic':
      // p_k = exp(η_k) / Σ exp(η_j), with η = 0 for the reference category.
      return (values, out) => {
        let sum = 0;
        for (let i = 0; i < m; i++) {
          const eta = (equations[i] as LinearPredictor)(values);
          if (eta === null) return false;
          sum += out[i] = Math.exp(eta);
        }
        sum += out[m] = 1;
        if (sum === 0) throw new RecordError('multinomialLogistic probabilities sum to zero');
        for (let i = 0; i <= m; i++) out[i] = (out[i] as number) / sum;
        return true;
      };
    case 'generalizedLinear': {
      // Each category but the last gets g⁻¹(η_k); the last gets one minus the one before it.
      const mean = generalizedMean(spec, slots);
      return (values, out) => {
        for (let i = 0; i < m; i++) {
          const eta = (equations[i] as LinearPredictor)(values);
          if (eta === null) return false;
          out[i] = mean(eta, values);
        }
        out[m] = 1 - (out[m - 1] as number);
        return true;
      };
    }
    case 'ordinalMultinomial': {
      // P(Y ≤ k) = F(η_k + offset); p_k = P(Y ≤ k) − P(Y ≤ k−1), the last gets 1 − P(Y ≤ K−1).
      const name = spec.cumulativeLink ?? fail('<GeneralRegressionModel modelType="ordinalMultinomial"> lacks the attribute cumulativeLink');
      const f = inverseCumulativeLink(name);
      const offset = numberSource(spec.offset, slots, 'offset', false);
      return (values, out) => {
        const off = offset ? offset(values) : 0;
        let previous = 0;
        for (let i = 0; i < m; i++) {
          const eta = (equations[i] as LinearPredictor)(values);
          if (eta === null) return false;
          const cumulative = f(offset ? eta + off : eta);
          out[i] = i === 0 ? cumulative : cumulative - previous;
          previous = cumulative;
        }
        out[m] = 1 - previous;
        return true;
      };
    }
    default:
      return fail(`<GeneralRegressionModel> modelType="${spec.modelType}" cannot have functionName="classification"`);
  }
}
