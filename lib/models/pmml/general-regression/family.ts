// The GeneralRegressionModel family: reads the XML element once into a GeneralRegressionSpec,
// compiles it (./scorer.ts) and binds the fields it reads to the pipeline's accessors.
import { ModelLoadError } from '../../api/model.ts';
import type { CompiledModel, Eval, FamilyContext, ModelFamily, Score, Slots, Value } from '../family.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr } from '../xml.ts';
import type { XmlElement } from '../xml.ts';
import { CUMULATIVE_LINKS, LINK_FUNCTIONS } from './link.ts';
import type { CumulativeLink, LinkFunction } from './link.ts';
import { readContrast } from './contrast.ts';
import type { Contrast } from './contrast.ts';
import { compileCox } from './cox.ts';
import { compileGeneralRegression } from './scorer.ts';
import type { GeneralRegressionSpec, ModelType, NumberSource, PCellSpec, PPCellSpec } from './scorer.ts';

const MODEL_TYPES = ['regression', 'generalLinear', 'generalizedLinear', 'multinomialLogistic', 'ordinalMultinomial'] as const;
const DISTRIBUTIONS = ['binomial', 'gamma', 'igauss', 'negbin', 'normal', 'poisson', 'tweedie'] as const;

/** Child elements that scoring reads or may safely ignore (statistics, verification). */
const KNOWN_CHILDREN = new Set([
  'MiningSchema', 'Output', 'ModelStats', 'ModelExplanation', 'Targets', 'LocalTransformations', 'ParameterList',
  'FactorList', 'CovariateList', 'PPMatrix', 'PCovMatrix', 'ParamMatrix', 'ModelVerification',
]);

/** Cox regression's own children (EventValues only documents the status values: scoring ignores it). */
const COX_CHILDREN = new Set(['EventValues', 'BaseCumHazardTables']);

const fail = (msg: string): never => { throw new ModelLoadError(msg); };

function optionalNumber(el: XmlElement, attr: string): number | undefined {
  return el.attrs[attr] === undefined ? undefined : numberAttr(el, attr);
}

function optionalEnum<T extends string>(el: XmlElement, attr: string, allowed: readonly T[]): T | undefined {
  return el.attrs[attr] === undefined ? undefined : enumAttr(el, attr, allowed, allowed[0] as T);
}

function source(model: XmlElement, prefix: 'offset' | 'trials'): NumberSource {
  const variable = model.attrs[`${prefix}Variable`];
  if (variable !== undefined) return { kind: 'field', field: variable };
  const value = optionalNumber(model, `${prefix}Value`);
  return value === undefined ? { kind: 'none' } : { kind: 'value', value };
}

function predictors(model: XmlElement, list: 'FactorList' | 'CovariateList'): XmlElement[] {
  const el = child(model, list);
  if (!el) return [];
  return childrenNamed(el, 'Predictor').map((p) => {
    requiredAttr(p, 'name');
    if (list === 'CovariateList' && (child(p, 'Matrix') || child(p, 'Categories'))) fail(`<Predictor name="${p.attrs.name}"> in CovariateList cannot have Categories or a Matrix`);
    return p;
  });
}

function contrasts(factors: readonly XmlElement[]): Map<string, Contrast> {
  const out = new Map<string, Contrast>();
  for (const p of factors) {
    const c = readContrast(p);
    if (c) out.set(p.attrs.name as string, c);
  }
  return out;
}

/** Reads the element into a plain description; every attribute scoring needs is validated here. */
export function readGeneralRegression(model: XmlElement, functionName: 'regression' | 'classification', labels: readonly string[]): GeneralRegressionSpec {
  const cox = requiredAttr(model, 'modelType') === 'CoxRegression';
  for (const c of model.children) {
    if (!KNOWN_CHILDREN.has(c.name) && !(cox && COX_CHILDREN.has(c.name))) fail(`<GeneralRegressionModel> child <${c.name}> is not supported`);
  }
  // Cox regression's linear predictor is a plain regression's (./cox.ts turns it into a hazard).
  const modelType: ModelType = cox ? 'regression' : enumAttr(model, 'modelType', MODEL_TYPES, 'regression');
  optionalEnum(model, 'distribution', DISTRIBUTIONS); // validated only: it does not change scoring
  const linkFunction: LinkFunction | undefined = optionalEnum(model, 'linkFunction', LINK_FUNCTIONS);
  const cumulativeLink: CumulativeLink | undefined = optionalEnum(model, 'cumulativeLink', CUMULATIVE_LINKS);
  if (!child(model, 'ParameterList')) fail('<GeneralRegressionModel> lacks <ParameterList>');
  const ppMatrix = child(model, 'PPMatrix') ?? fail('<GeneralRegressionModel> lacks <PPMatrix>');
  const paramMatrix = child(model, 'ParamMatrix') ?? fail('<GeneralRegressionModel> lacks <ParamMatrix>');
  const ppCells: PPCellSpec[] = childrenNamed(ppMatrix, 'PPCell').map((c) => ({
    parameter: requiredAttr(c, 'parameterName'),
    predictor: requiredAttr(c, 'predictorName'),
    value: requiredAttr(c, 'value'),
    targetCategory: c.attrs.targetCategory,
  }));
  const pCells: PCellSpec[] = childrenNamed(paramMatrix, 'PCell').map((c) => ({
    parameter: requiredAttr(c, 'parameterName'),
    beta: numberAttr(c, 'beta'),
    targetCategory: c.attrs.targetCategory,
  }));
  const factors = predictors(model, 'FactorList');
  return {
    modelType,
    functionName,
    factors: factors.map((p) => p.attrs.name as string),
    contrasts: contrasts(factors),
    covariates: predictors(model, 'CovariateList').map((p) => p.attrs.name as string),
    ppCells,
    pCells,
    linkFunction,
    linkParameter: optionalNumber(model, 'linkParameter'),
    distParameter: optionalNumber(model, 'distParameter'),
    cumulativeLink,
    offset: source(model, 'offset'),
    trials: source(model, 'trials'),
    targetCategories: labels,
    targetReferenceCategory: model.attrs.targetReferenceCategory,
  };
}

/** Index of the largest probability; the first one wins a tie (as JPMML's Ordering.max). */
export function argmax(p: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}

const NO_PREDICTION: Score = Object.freeze({ value: null });

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const labels = ctx.functionName === 'classification' ? (ctx.target?.labels ?? []) : [];
  const spec = readGeneralRegression(model, ctx.functionName === 'regression' ? 'regression' : 'classification', labels);
  const compiled = compileGeneralRegression(spec);
  // Name the Predictor (or the model, for offset/trials variables) when a field is unknown.
  const predictorEls = new Map<string, XmlElement>();
  for (const list of ['FactorList', 'CovariateList'] as const) {
    for (const p of childrenNamed(child(model, list) ?? model, 'Predictor')) predictorEls.set(p.attrs.name as string, p);
  }
  const getters: Eval[] = compiled.fields.map((name) => ctx.field(name, predictorEls.get(name) ?? model).get);
  const m = getters.length;
  const values: Value[] = new Array<Value>(m).fill(null); // reused: scoring is synchronous
  const gather = (slots: Slots): Value[] => {
    for (let i = 0; i < m; i++) values[i] = (getters[i] as Eval)(slots);
    return values;
  };
  if (compiled.kind === 'regression' && model.attrs['modelType'] === 'CoxRegression') {
    if (ctx.functionName !== 'regression') fail(`<GeneralRegressionModel modelType="CoxRegression"> cannot have functionName="${ctx.functionName}"`);
    const score = compiled.score, hazard = compileCox(model, ctx);
    return {
      functionName: 'regression',
      labels: [],
      score: (slots) => {
        const value = hazard(slots, score(gather(slots)));
        return value === null ? NO_PREDICTION : { value };
      },
    };
  }
  if (compiled.kind === 'regression') {
    const score = compiled.score;
    return {
      functionName: 'regression',
      labels: [],
      score: (slots) => {
        const value = score(gather(slots));
        return value === null ? NO_PREDICTION : { value };
      },
    };
  }
  const { categories, score } = compiled;
  const k = categories.length;
  return {
    functionName: 'classification',
    labels: categories,
    score: (slots) => {
      const probabilities = new Array<number>(k);
      if (!score(gather(slots), probabilities)) return NO_PREDICTION;
      return { value: categories[argmax(probabilities)] as string, probabilities };
    },
  };
}

export const generalRegressionFamily: ModelFamily = { element: 'GeneralRegressionModel', compile };
