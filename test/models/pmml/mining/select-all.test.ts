// MiningModel multipleModelMethod="selectAll": the result of every segment whose predicate is
// true, in document order, as Prediction.segments (JPMML 1.7's list); the whole's value is null.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, ModelLoadError, type Model } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];
const X_NEGATIVE = '<SimplePredicate field="x" operator="lessThan" value="0"/>';
const X_POSITIVE = '<SimplePredicate field="x" operator="greaterThan" value="0"/>';

/** A segment whose regression model computes `intercept + slope·x` (a constant, not reading x, when slope is 0). */
const lineSeg = (intercept: number, slope: number, when = '<True/>') => `<Segment>${when}
  <RegressionModel functionName="regression">${schema(null, ['x'])}<RegressionTable intercept="${intercept}">${
  slope === 0 ? '' : `<NumericPredictor name="x" coefficient="${slope}"/>`}</RegressionTable></RegressionModel></Segment>`;

const regression = (segs: string, extra = ''): Model => loadPmml(pmmlDoc(fields,
  `<MiningModel functionName="regression">${schema('y', ['x'])}${extra}<Segmentation multipleModelMethod="selectAll">${segs}</Segmentation></MiningModel>`));

test('segments whose predicate is false are left out; the others keep document order', () => {
  const model = regression(lineSeg(1, 1, X_NEGATIVE) + lineSeg(10, 0) + lineSeg(100, 2, X_POSITIVE) + lineSeg(-5, 0));
  assert.equal(model.score({ x: 3 }), { value: null, segments: [{ value: 10 }, { value: 106 }, { value: -5 }] });
  assert.equal(model.score({ x: -3 }), { value: null, segments: [{ value: -2 }, { value: 10 }, { value: -5 }] });
});

test('a predicate that is unknown (missing input) leaves its segment out', () => {
  const model = regression(lineSeg(1, 0, X_POSITIVE) + lineSeg(2, 0));
  assert.equal(model.score({ x: null }), { value: null, segments: [{ value: 2 }] });
});

test('a selected segment without a result stays in the list as a null value', () => {
  // The second segment reads x, which is missing: like JPMML, its place holds null.
  const model = regression(lineSeg(7, 0, '<SimplePredicate field="x" operator="isMissing"/>') + lineSeg(0, 1));
  assert.equal(model.score({ x: null }), { value: null, segments: [{ value: 7 }, { value: null }] });
});

test('no segment selected gives no prediction and no list', () => {
  const model = regression(lineSeg(1, 1, X_POSITIVE) + lineSeg(2, 1, X_POSITIVE));
  const p = model.score({ x: -1 });
  assert.is(p.value, null);
  assert.is(p.segments, undefined);
});

const tree = (label: 'a' | 'b', a: number, b: number, when = '<True/>') => `<Segment>${when}<TreeModel functionName="classification">${schema(null, ['x'])}
  <Node score="${label}"><True/><ScoreDistribution value="a" recordCount="${a}"/><ScoreDistribution value="b" recordCount="${b}"/></Node></TreeModel></Segment>`;

test('classification segments keep their label and distribution', () => {
  const model = loadPmml(pmmlDoc(fields, `<MiningModel functionName="classification">${schema('k', ['x'])}
    <Segmentation multipleModelMethod="selectAll">${tree('b', 1, 3)}${tree('a', 9, 1, X_NEGATIVE)}${tree('a', 1, 1)}</Segmentation></MiningModel>`));
  assert.equal(model.score({ x: 1 }), {
    value: null,
    segments: [{ value: 'b', probabilities: { a: 0.25, b: 0.75 } }, { value: 'a', probabilities: { a: 0.5, b: 0.5 } }],
  });
});

test('scoreBatch reports selectAll results per record', () => {
  const model = regression(lineSeg(0, 1, X_POSITIVE) + lineSeg(1, 0));
  const out = model.scoreBatch([{ x: 2 }, { x: -2 }]);
  assert.equal(out.map((o) => (o.kind === 'scored' ? o.prediction.segments?.map((s) => s.value) : o.error.message)), [[2, 1], [1]]);
});

test('a TargetValue default on a selectAll MiningModel is refused at load, naming Targets', () => {
  const targets = '<Targets><Target field="y"><TargetValue defaultValue="3"/></Target></Targets>';
  assert.throws(() => regression(lineSeg(0, 1), targets), (err: unknown) => err instanceof ModelLoadError && /<Targets>.*selectAll/.test((err as Error).message));
});

test.run();
