// RegressionModel: predictors (numeric with exponent, categorical, PredictorTerm) and every
// normalizationMethod, checked against the formulas written out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { near, pmmlDoc, schema } from '../snippets.ts';

const fields = [
  { name: 'x' }, { name: 'z' }, { name: 'c', dataType: 'string', inner: '<Value value="u"/><Value value="v"/>' },
  { name: 'y' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/><Value value="c"/>' },
  { name: 'o', dataType: 'string', optype: 'ordinal', inner: '<Value value="lo"/><Value value="mid"/><Value value="hi"/>' },
];
const logistic = (v: number) => 1 / (1 + Math.exp(-v));
// Φ by numeric integration is independent of the evaluator's erfc; plenty for 1e-9.
const phi = (v: number) => { let s = 0; const n = 200000, a = -12, h = (v - a) / n; for (let i = 0; i < n; i++) { const t = a + (i + 0.5) * h; s += Math.exp(-t * t / 2); } return s * h / Math.sqrt(2 * Math.PI); };

test('numeric (with exponent), categorical and PredictorTerm contributions add to the intercept', () => {
  const m = loadPmml(pmmlDoc(fields, `<RegressionModel functionName="regression">${schema('y', ['x', 'z', 'c'])}
    <RegressionTable intercept="0.5">
      <NumericPredictor name="x" coefficient="2"/><NumericPredictor name="x" exponent="2" coefficient="0.25"/>
      <CategoricalPredictor name="c" value="u" coefficient="10"/><CategoricalPredictor name="c" value="v" coefficient="20"/>
      <PredictorTerm coefficient="3"><FieldRef field="x"/><FieldRef field="z"/></PredictorTerm>
    </RegressionTable></RegressionModel>`));
  assert.is(m.score({ x: 2, z: 5, c: 'v' }).value, 0.5 + 4 + 1 + 20 + 30);
});

const regression = (method: string, y: number): number => loadPmml(pmmlDoc(fields,
  `<RegressionModel functionName="regression" normalizationMethod="${method}">${schema('y', ['x'])}
   <RegressionTable intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable></RegressionModel>`)).score({ x: y }).value as number;

const regressionCases: Array<[string, (v: number) => number]> = [
  ['none', (v) => v], ['softmax', logistic], ['logit', logistic], ['exp', Math.exp], ['probit', phi],
  ['cloglog', (v) => 1 - Math.exp(-Math.exp(v))], ['loglog', (v) => Math.exp(-Math.exp(-v))], ['cauchit', (v) => 0.5 + Math.atan(v) / Math.PI],
];
for (const [method, f] of regressionCases) {
  test(`regression normalizationMethod="${method}"`, () => {
    for (const v of [-1.3, 0.4]) assert.ok(near(regression(method, v), f(v), 1e-9), `${method}(${v})`);
  });
}

test('regression rejects simplemax at load', () => {
  assert.throws(() => regression('simplemax', 1), /simplemax/);
});

function classifier(method: string, intercepts: number[], target = 'k'): { [l: string]: number } {
  const labels = target === 'k' ? ['a', 'b', 'c'] : ['lo', 'mid', 'hi'];
  const tables = intercepts.map((b, i) => `<RegressionTable intercept="${b}" targetCategory="${labels[i]}"/>`).join('');
  const m = loadPmml(pmmlDoc(fields, `<RegressionModel functionName="classification" normalizationMethod="${method}">${schema(target, ['x'])}${tables}</RegressionModel>`));
  return m.score({ x: 0 }).probabilities as { [l: string]: number };
}

test('classification softmax: exp(y_i)/Σexp', () => {
  const p = classifier('softmax', [1, 2, 0.5]);
  const e = [1, 2, 0.5].map(Math.exp), s = e[0]! + e[1]! + e[2]!;
  assert.ok(near(p.a!, e[0]! / s) && near(p.b!, e[1]! / s) && near(p.c!, e[2]! / s));
});

test('classification simplemax: y_i/Σy', () => {
  const p = classifier('simplemax', [1, 2, 5]);
  assert.ok(near(p.a!, 1 / 8) && near(p.b!, 2 / 8) && near(p.c!, 5 / 8));
});

test('classification none with three categories: the last is 1 − Σ others', () => {
  const p = classifier('none', [0.2, 0.3, 99]);
  assert.ok(near(p.a!, 0.2) && near(p.b!, 0.3) && near(p.c!, 0.5));
});

test('binary logit / probit / cloglog / loglog / cauchit: p1 = F(y1), p2 = 1 − p1', () => {
  const two = (method: string) => {
    const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }],
      `<RegressionModel functionName="classification" normalizationMethod="${method}">${schema('k', ['x'])}
       <RegressionTable intercept="0.7" targetCategory="a"/><RegressionTable intercept="0" targetCategory="b"/></RegressionModel>`));
    return m.score({ x: 0 });
  };
  const F: { [m: string]: (v: number) => number } = {
    logit: logistic, probit: phi, cloglog: (v) => 1 - Math.exp(-Math.exp(v)), loglog: (v) => Math.exp(-Math.exp(-v)), cauchit: (v) => 0.5 + Math.atan(v) / Math.PI,
  };
  for (const [method, f] of Object.entries(F)) {
    const r = two(method);
    assert.ok(near(r.probabilities!.a!, f(0.7), 1e-9), method);
    assert.ok(near(r.probabilities!.b!, 1 - f(0.7), 1e-9), method);
    assert.is(r.value, f(0.7) >= 0.5 ? 'a' : 'b');
  }
});

test('ordinal target with logit: cumulative probabilities become per-category differences', () => {
  const p = classifier('logit', [-1, 1, 0], 'o');
  assert.ok(near(p.lo!, logistic(-1)));
  assert.ok(near(p.mid!, logistic(1) - logistic(-1)));
  assert.ok(near(p.hi!, 1 - logistic(1)));
});

test('classification exp is rejected at load', () => {
  assert.throws(() => classifier('exp', [1, 2, 3]), /normalizationMethod="exp"/);
});

test('a missing numeric input gives no prediction; a missing categorical input contributes nothing', () => {
  const m = loadPmml(pmmlDoc(fields, `<RegressionModel functionName="regression">${schema('y', ['x', 'c'])}
    <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/><CategoricalPredictor name="c" value="u" coefficient="10"/></RegressionTable></RegressionModel>`));
  assert.is(m.score({ c: 'u' }).value, null);
  assert.is(m.score({ x: 1 }).value, 3);
});

test.run();
