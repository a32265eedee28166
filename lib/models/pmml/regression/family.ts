// RegressionModel (PMML 4.4 §Regression). Each RegressionTable compiles to a function summing
// numeric predictors, categorical predictors, predictor terms, then the intercept — JPMML's
// order, so that results agree to the last bit where possible.
import { ModelLoadError, RecordError } from '../../api/model.ts';
import type { CompiledModel, FamilyContext, ModelFamily, Score, Slots } from '../family.ts';
import { isNumeric, parseTyped, valueKey } from '../values.ts';
import { child, childrenNamed, enumAttr, numberAttr, requiredAttr, type XmlElement } from '../xml.ts';
import { floatNormalizer, floatTransform } from './float.ts';
import { binomial, multinomial, NORMALIZATION_METHODS, ordinal, regressionTransform } from './normalization.ts';

type Table = (s: Slots) => number | null;

function compileTable(table: XmlElement, ctx: FamilyContext): Table {
  const float = ctx.mathContext === 'float';
  const numeric = childrenNamed(table, 'NumericPredictor').map((p) => {
    const f = ctx.field(requiredAttr(p, 'name'), p);
    if (!isNumeric(f.dataType)) throw new ModelLoadError(`<NumericPredictor name="${f.name}">: the field is not numeric`);
    return { get: f.get, coef: numberAttr(p, 'coefficient'), exponent: numberAttr(p, 'exponent', 1) };
  });
  // One lookup per categorical field: a field matches at most one of its CategoricalPredictors.
  const byField = new Map<string, { get: (s: Slots) => unknown; coefs: Map<string, number> }>();
  for (const p of childrenNamed(table, 'CategoricalPredictor')) {
    const f = ctx.field(requiredAttr(p, 'name'), p);
    const v = parseTyped(requiredAttr(p, 'value'), f.dataType, p, 'value');
    let entry = byField.get(f.name);
    if (entry === undefined) byField.set(f.name, (entry = { get: f.get, coefs: new Map() }));
    const key = valueKey(v);
    if (!entry.coefs.has(key)) entry.coefs.set(key, numberAttr(p, 'coefficient'));
  }
  const categorical = [...byField.values()];
  const terms = childrenNamed(table, 'PredictorTerm').map((t) => {
    const refs = childrenNamed(t, 'FieldRef');
    if (refs.length === 0) throw new ModelLoadError('<PredictorTerm> needs at least one <FieldRef>');
    return { coef: numberAttr(t, 'coefficient'), gets: refs.map((r) => ctx.expression(r)) };
  });
  // Required (PMML 4.4); JPMML loads a table without it and fails a record once its predictors are
  // all present, when it reaches the intercept (a missing input gives the priors first).
  const intercept = table.attrs['intercept'] === undefined ? NaN : numberAttr(table, 'intercept');
  const which = table.attrs['targetCategory'] === undefined ? '' : ` targetCategory="${table.attrs['targetCategory']}"`;
  const inner = float ? floatTable(numeric, categorical, terms, intercept) : doubleTable(numeric, categorical, terms, intercept);
  if (intercept === intercept) return inner;
  return (s) => {
    if (inner(s) === null) return null;
    throw new RecordError(`<RegressionTable${which}> lacks the required attribute intercept`);
  };
}

function doubleTable(numeric: readonly Numeric[], categorical: readonly Categorical[], terms: readonly Term[], intercept: number): Table {
  return (s) => {
    let y = 0;
    for (let i = 0; i < numeric.length; i++) {
      const p = numeric[i]!;
      const x = p.get(s) as number | null;
      // "If the input value is missing, then the result evaluates to a missing value"
      if (x === null) return null;
      y += p.exponent === 1 ? p.coef * x : p.coef * Math.pow(x, p.exponent);
    }
    for (let i = 0; i < categorical.length; i++) {
      const c = categorical[i]!;
      const v = c.get(s);
      // A missing categorical input contributes nothing (PMML: the predictor is ignored).
      if (v === null) continue;
      const coef = c.coefs.get(valueKey(v as never));
      if (coef !== undefined) y += coef;
    }
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!;
      let prod = t.coef;
      for (const g of t.gets) {
        const x = g(s);
        if (x === null) return null;
        prod *= x as number;
      }
      y += prod;
    }
    return y + intercept;
  };
}

type Numeric = { readonly get: (s: Slots) => unknown; readonly coef: number; readonly exponent: number };
type Categorical = { readonly get: (s: Slots) => unknown; readonly coefs: ReadonlyMap<string, number> };
type Term = { readonly coef: number; readonly gets: readonly ((s: Slots) => unknown)[] };

/** The table in float32 arithmetic, as JPMML's FloatValue: every coefficient, product and partial sum rounded. */
function floatTable(numeric: readonly Numeric[], categorical: readonly Categorical[], terms: readonly Term[], intercept: number): Table {
  const f = Math.fround;
  return (s) => {
    let y = 0;
    for (const p of numeric) {
      const x = p.get(s) as number | null;
      if (x === null) return null;
      y = f(y + f(f(p.coef) * (p.exponent === 1 ? f(x) : f(Math.pow(f(x), p.exponent)))));
    }
    for (const c of categorical) {
      const v = c.get(s);
      if (v === null) continue;
      const coef = c.coefs.get(valueKey(v as never));
      if (coef !== undefined) y = f(y + f(coef));
    }
    for (const t of terms) {
      let prod = f(t.coef);
      for (const g of t.gets) {
        const x = g(s);
        if (x === null) return null;
        prod = f(prod * f(x as number));
      }
      y = f(y + prod);
    }
    return intercept === 0 ? y : f(y + f(intercept));
  };
}

function compile(model: XmlElement, ctx: FamilyContext): CompiledModel {
  const method = enumAttr(model, 'normalizationMethod', NORMALIZATION_METHODS, 'none');
  const tables = childrenNamed(model, 'RegressionTable');
  if (ctx.functionName === 'regression') {
    if (tables.length !== 1) throw new ModelLoadError(`<RegressionModel functionName="regression"> needs exactly one <RegressionTable>, found ${tables.length}`);
    if (method === 'simplemax') throw new ModelLoadError('<RegressionModel functionName="regression"> normalizationMethod="simplemax" is not valid for regression');
    const table = compileTable(tables[0]!, ctx);
    const transform = ctx.mathContext === 'float' ? floatTransform(regressionTransform(method)) : regressionTransform(method);
    const NULL: Score = { value: null };
    return {
      functionName: 'regression', labels: [],
      score: transform === null
        ? (s) => { const y = table(s); return y === null ? NULL : { value: y }; }
        : (s) => { const y = table(s); return y === null ? NULL : { value: transform(y) }; },
    };
  }
  if (tables.length < 2) throw new ModelLoadError(`<RegressionModel functionName="classification"> needs at least two <RegressionTable> elements, found ${tables.length}`);
  const labels = tables.map((t) => requiredAttr(t, 'targetCategory'));
  const known = ctx.target?.labels ?? [];
  for (const l of labels) {
    if (known.length > 0 && !known.includes(l)) throw new ModelLoadError(`<RegressionTable targetCategory="${l}"> is not a value of the target field "${ctx.target?.name}"`);
  }
  const compiled = tables.map((t) => compileTable(t, ctx));
  const normalize = ctx.mathContext === 'float'
    ? floatNormalizer(softmaxIsLogit(method, tables) ? 'logit' : method, classificationNormalizer(method, ctx.target?.optype === 'ordinal', compiled.length, tables))
    : classificationNormalizer(method, ctx.target?.optype === 'ordinal', compiled.length, tables);
  const NULL: Score = { value: null };
  // Only a target the model declares itself: a segment without one classifies for its chain (JPMML's synthetic target).
  const declared = childrenNamed(child(model, 'MiningSchema') ?? model, 'MiningField')
    .some((f) => f.attrs['name'] === ctx.target?.name && (f.attrs['usageType'] === 'target' || f.attrs['usageType'] === 'predicted'));
  const continuousTarget = declared && ctx.target?.optype === 'continuous' ? ctx.target.name : undefined;
  const score = (s: Slots): Score => {
    // JPMML's RegressionModelEvaluator: a classification needs a categorical or ordinal target, else
    // InvalidElementException for every record that passes input validation.
    if (continuousTarget !== undefined) throw new RecordError(`<RegressionModel functionName="classification">: its target field "${continuousTarget}" is continuous`);
    const y = new Array<number>(compiled.length);
    for (let i = 0; i < compiled.length; i++) {
      const v = compiled[i]!(s);
      // "If one or more RegressionTable elements cannot be evaluated, then the predictions are defined by the priorProbability values"
      if (v === null) return NULL;
      y[i] = v;
    }
    normalize(y);
    let best = 0;
    for (let i = 1; i < y.length; i++) if (y[i]! > y[best]!) best = i;
    return { value: labels[best]!, probabilities: y };
  };
  return { functionName: 'classification', labels, score };
}

/** JPMML: two categories whose second table is empty (intercept 0) under softmax is binary logit. */
function softmaxIsLogit(method: string, tables: readonly XmlElement[]): boolean {
  const second = tables[1];
  return method === 'softmax' && tables.length === 2 && second !== undefined
    && second.children.every((c) => !['NumericPredictor', 'CategoricalPredictor', 'PredictorTerm'].includes(c.name)) && Number(second.attrs['intercept'] ?? 0) === 0;
}

function classificationNormalizer(method: (typeof NORMALIZATION_METHODS)[number], isOrdinal: boolean, n: number, tables: XmlElement[]): (y: number[]) => void {
  const invalid = (): never => { throw new ModelLoadError(`<RegressionModel functionName="classification"> normalizationMethod="${method}" is not valid for ${isOrdinal ? 'an ordinal' : `a categorical target with ${n} categories`}`); };
  switch (method) {
    case 'none':
      if (isOrdinal) return ordinal('none');
      return n === 2 ? binomial('none') : multinomial('none');
    case 'softmax': case 'simplemax': {
      if (isOrdinal) return invalid();
      // JPMML: two categories whose second table is empty (intercept 0) under softmax is binary logit.
      return softmaxIsLogit(method, tables) ? binomial('logit') : multinomial(method);
    }
    case 'logit': case 'probit': case 'cloglog': case 'loglog': case 'cauchit':
      if (isOrdinal) return ordinal(method);
      if (n === 2) return binomial(method);
      if (method === 'logit') return multinomial('logit');
      return invalid();
    case 'exp':
      return invalid();
  }
}

export const regressionFamily: ModelFamily = { element: 'RegressionModel', compile };
