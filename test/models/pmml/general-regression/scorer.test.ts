import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError, RecordError } from '../../../../lib/models/api/model.ts';
import { compileLinearPredictor } from '../../../../lib/models/pmml/general-regression/linear-predictor.ts';
import { compileGeneralRegression } from '../../../../lib/models/pmml/general-regression/scorer.ts';
import type { GeneralRegressionSpec } from '../../../../lib/models/pmml/general-regression/scorer.ts';

const close = (actual: number | null | undefined, expected: number, rel = 1e-12) =>
  assert.ok(actual != null && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

const slotOf = (names: string[]) => (f: string) => names.indexOf(f);

test('a parameter without terms is an intercept and a covariate term contributes beta * x', () => {
  const eta = compileLinearPredictor([
    { parameter: 'p0', beta: 1.5, terms: [] },
    { parameter: 'p1', beta: -2, terms: [{ kind: 'covariate', field: 'x', exponent: 1 }] },
  ], slotOf(['x']));
  close(eta([3]), 1.5 - 2 * 3);
});

test('a covariate PPCell value is the exponent of the field', () => {
  const eta = compileLinearPredictor([{ parameter: 'p', beta: 2, terms: [{ kind: 'covariate', field: 'x', exponent: 3 }] }], slotOf(['x']));
  close(eta([1.5]), 2 * 1.5 ** 3);
});

test('several PPCells of one parameter multiply: an interaction of a factor level and two covariates', () => {
  const eta = compileLinearPredictor([{
    parameter: 'p', beta: 0.5, terms: [
      { kind: 'covariate', field: 'x', exponent: 1 },
      { kind: 'factor', field: 'c', category: 'red' },
      { kind: 'covariate', field: 'y', exponent: 2 },
    ],
  }], slotOf(['x', 'c', 'y']));
  close(eta([2, 'red', 3]), 0.5 * 2 * 9);
  close(eta([2, 'blue', 3]), 0);
});

test('a factor level matches a numeric field by value ("1.0" is 1)', () => {
  const eta = compileLinearPredictor([{ parameter: 'p', beta: 4, terms: [{ kind: 'factor', field: 'n', category: '1.0' }] }], slotOf(['n']));
  close(eta([1]), 4);
  close(eta([2]), 0);
});

test('a missing covariate gives no linear predictor, but not behind a factor that does not match', () => {
  const eta = compileLinearPredictor([{
    parameter: 'p', beta: 1, terms: [{ kind: 'factor', field: 'c', category: 'a' }, { kind: 'covariate', field: 'x', exponent: 1 }],
  }], slotOf(['c', 'x']));
  assert.is(eta(['a', null]), null);
  close(eta(['b', null]), 0);
  assert.is(eta([undefined, 1]), null);
});

test('a non-numeric covariate value is a RecordError', () => {
  const eta = compileLinearPredictor([{ parameter: 'p', beta: 1, terms: [{ kind: 'covariate', field: 'x', exponent: 1 }] }], slotOf(['x']));
  assert.throws(() => eta(['abc']), (e: unknown) => e instanceof RecordError);
});

const base = (over: Partial<GeneralRegressionSpec>): GeneralRegressionSpec => ({
  modelType: 'regression', functionName: 'regression', factors: [], covariates: ['x'],
  ppCells: [{ parameter: 'p1', predictor: 'x', value: '1' }],
  pCells: [{ parameter: 'p0', beta: 0.2 }, { parameter: 'p1', beta: 0.3 }],
  offset: { kind: 'none' }, trials: { kind: 'none' }, ...over,
});

function regression(spec: GeneralRegressionSpec, values: unknown[]): number | null {
  const c = compileGeneralRegression(spec);
  if (c.kind !== 'regression') throw new Error('not regression');
  return c.score(values as never);
}

test('generalizedLinear applies the inverse link to eta plus offsetValue, times trialsValue', () => {
  const eta = 0.2 + 0.3 * 2;
  close(regression(base({ modelType: 'generalizedLinear', linkFunction: 'log', offset: { kind: 'value', value: 0.1 } }), [2]), Math.exp(eta + 0.1));
  close(regression(base({ modelType: 'generalizedLinear', linkFunction: 'logit', trials: { kind: 'value', value: 10 } }), [2]), 10 / (1 + Math.exp(-eta)));
});

test('offsetVariable and trialsVariable are read from the record', () => {
  const spec = base({ modelType: 'generalizedLinear', linkFunction: 'identity', offset: { kind: 'field', field: 'off' }, trials: { kind: 'field', field: 'n' } });
  const c = compileGeneralRegression(spec);
  assert.equal(c.fields, ['x', 'off', 'n']);
  close(regression(spec, [2, 1, 3]), (0.8 + 1) * 3);
  assert.throws(() => regression(spec, [2, null, 3]), (e: unknown) => e instanceof RecordError && /offsetVariable/.test((e as Error).message));
  assert.throws(() => regression(spec, [2, 1, 2.5]), (e: unknown) => e instanceof RecordError && /integer/.test((e as Error).message));
});

test('the offset does not apply to a general linear model (as in JPMML)', () => {
  close(regression(base({ modelType: 'generalLinear', offset: { kind: 'value', value: 5 } }), [2]), 0.8);
});

test('generalizedLinear without linkFunction, or power without linkParameter, fails at load', () => {
  assert.throws(() => compileGeneralRegression(base({ modelType: 'generalizedLinear' })), (e: unknown) => e instanceof ModelLoadError && /linkFunction/.test((e as Error).message));
  assert.throws(() => compileGeneralRegression(base({ modelType: 'generalizedLinear', linkFunction: 'power' })), (e: unknown) => e instanceof ModelLoadError && /linkParameter/.test((e as Error).message));
});

test('a PPCell predictor in neither list fails at load', () => {
  assert.throws(() => compileGeneralRegression(base({ covariates: [] })), (e: unknown) => e instanceof ModelLoadError && /predictorName="x"/.test((e as Error).message));
});

function classify(spec: GeneralRegressionSpec, values: unknown[]): { categories: readonly string[]; p: number[] } {
  const c = compileGeneralRegression(spec);
  if (c.kind !== 'classification') throw new Error('not classification');
  const p = new Array<number>(c.categories.length);
  if (!c.score(values as never, p)) throw new Error('no prediction');
  return { categories: c.categories, p };
}

test('multinomialLogistic: softmax over eta with the reference category (the one without PCells) at eta 0, scored last', () => {
  const spec = base({
    modelType: 'multinomialLogistic', functionName: 'classification', targetCategories: ['b', 'a', 'c'],
    pCells: [
      { parameter: 'p0', beta: 0.5, targetCategory: 'a' }, { parameter: 'p1', beta: 1.2, targetCategory: 'a' },
      { parameter: 'p0', beta: -0.3, targetCategory: 'c' }, { parameter: 'p1', beta: 0.4, targetCategory: 'c' },
    ],
  });
  const { categories, p } = classify(spec, [2]);
  assert.equal(categories, ['a', 'c', 'b']);
  const ea = Math.exp(0.5 + 1.2 * 2), ec = Math.exp(-0.3 + 0.4 * 2), eb = 1;
  const sum = ea + ec + eb;
  close(p[0], ea / sum);
  close(p[1], ec / sum);
  close(p[2], eb / sum);
});

test('targetReferenceCategory overrides the inferred reference category', () => {
  const spec = base({
    modelType: 'multinomialLogistic', functionName: 'classification', targetCategories: ['no', 'yes'], targetReferenceCategory: 'no',
    pCells: [{ parameter: 'p0', beta: 0.5 }, { parameter: 'p1', beta: 1 }],
  });
  const { categories, p } = classify(spec, [1]);
  assert.equal(categories, ['yes', 'no']);
  close(p[0], 1 / (1 + Math.exp(-1.5)));
});

test('a multinomial model with two categories lacking PCells fails at load', () => {
  const spec = base({ modelType: 'multinomialLogistic', functionName: 'classification', targetCategories: ['a', 'b', 'c'], pCells: [{ parameter: 'p0', beta: 1, targetCategory: 'a' }] });
  assert.throws(() => compileGeneralRegression(spec), (e: unknown) => e instanceof ModelLoadError && /ParamMatrix/.test((e as Error).message));
});

test('ordinalMultinomial: per-category intercepts, shared slopes, probabilities are differences of the cumulative link', () => {
  const spec = base({
    modelType: 'ordinalMultinomial', functionName: 'classification', cumulativeLink: 'logit', targetCategories: ['low', 'mid', 'high'],
    pCells: [
      { parameter: 'p0', beta: -1, targetCategory: 'low' }, { parameter: 'p0', beta: 1.5, targetCategory: 'mid' },
      { parameter: 'p1', beta: 0.6 },
    ],
  });
  const { categories, p } = classify(spec, [0.5]);
  assert.equal(categories, ['low', 'mid', 'high']);
  const F = (z: number) => 1 / (1 + Math.exp(-z));
  const c1 = F(-1 + 0.3), c2 = F(1.5 + 0.3);
  close(p[0], c1);
  close(p[1], c2 - c1);
  close(p[2], 1 - c2);
});

test('ordinalMultinomial without cumulativeLink fails at load', () => {
  const spec = base({ modelType: 'ordinalMultinomial', functionName: 'classification', targetCategories: ['a', 'b'], pCells: [{ parameter: 'p0', beta: 1, targetCategory: 'a' }] });
  assert.throws(() => compileGeneralRegression(spec), (e: unknown) => e instanceof ModelLoadError && /cumulativeLink/.test((e as Error).message));
});

test('binomial generalizedLinear classification: the first category gets the mean, the reference its complement', () => {
  const spec = base({
    modelType: 'generalizedLinear', functionName: 'classification', linkFunction: 'probit', targetCategories: ['0', '1'], targetReferenceCategory: '0',
  });
  const { categories, p } = classify(spec, [1]);
  assert.equal(categories, ['1', '0']);
  close(p[0], 0.6914624612740131, 1e-13); // Φ(0.5), from Python's math.erfc
  close(p[1], 1 - 0.6914624612740131, 1e-13);
});

test('PPCells with a targetCategory apply to that category only', () => {
  const spec = base({
    modelType: 'multinomialLogistic', functionName: 'classification', targetCategories: ['a', 'b'], covariates: ['x', 'y'],
    ppCells: [{ parameter: 'p1', predictor: 'x', value: '1', targetCategory: 'a' }, { parameter: 'p1', predictor: 'y', value: '1' }],
    pCells: [{ parameter: 'p1', beta: 1, targetCategory: 'a' }],
  });
  const { p } = classify(spec, [2, 100]);
  close(p[0], Math.exp(2) / (Math.exp(2) + 1));
});

test('a missing input gives no prediction for a classification model', () => {
  const spec = base({ modelType: 'multinomialLogistic', functionName: 'classification', targetCategories: ['a', 'b'], pCells: [{ parameter: 'p1', beta: 1, targetCategory: 'a' }] });
  const c = compileGeneralRegression(spec);
  assert.is(c.kind === 'classification' && c.score([null], [0, 0]), false);
});

test.run();
