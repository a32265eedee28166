// MiningModel Segmentation: every multipleModelMethod on small constant segments, segment
// predicates, and modelChain reading an earlier segment's OutputField.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, type Prediction } from '../../../../lib/models/index.ts';
import { near, pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];

/** A segment with a constant regression model; `when` is its predicate (default True). */
const constSeg = (v: number, weight = 1, when = '<True/>') => `<Segment weight="${weight}">${when}
  <RegressionModel functionName="regression">${schema(null, ['x'])}<RegressionTable intercept="${v}"/></RegressionModel></Segment>`;

const regression = (method: string, segs: string, x = 0): Prediction => loadPmml(pmmlDoc(fields,
  `<MiningModel functionName="regression">${schema('y', ['x'])}<Segmentation multipleModelMethod="${method}">${segs}</Segmentation></MiningModel>`)).score({ x });

const three = constSeg(1, 1) + constSeg(2, 3) + constSeg(6, 0.5);
test('regression sum / average / weightedAverage / median / max', () => {
  assert.is(regression('sum', three).value, 9);
  assert.is(regression('average', three).value, 3);
  assert.ok(near(regression('weightedAverage', three).value as number, (1 + 6 + 3) / 4.5));
  assert.is(regression('median', three).value, 2);
  assert.is(regression('median', three + constSeg(10)).value, 4);
  assert.is(regression('max', three).value, 6);
});

test('segment predicates select which segments take part', () => {
  const segs = constSeg(1, 1, '<SimplePredicate field="x" operator="lessThan" value="0"/>') + constSeg(5) + constSeg(7);
  assert.is(regression('sum', segs, -1).value, 13);
  assert.is(regression('sum', segs, 1).value, 12);
  assert.is(regression('selectFirst', segs, -1).value, 1);
  assert.is(regression('selectFirst', segs, 1).value, 5);
});

test('no segment selected gives no prediction', () => {
  assert.is(regression('sum', constSeg(1, 1, '<False/>')).value, null);
});

test('modelChain: a later segment reads an earlier segment\'s OutputField; the last one is the result', () => {
  const segs = `<Segment><True/><RegressionModel functionName="regression">${schema(null, ['x'])}
      <Output><OutputField name="first" feature="predictedValue" dataType="double"/></Output>
      <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></Segment>
    <Segment><True/><RegressionModel functionName="regression">${schema(null, ['first'])}
      <RegressionTable intercept="0"><NumericPredictor name="first" coefficient="10"/></RegressionTable></RegressionModel></Segment>`;
  assert.is(regression('modelChain', segs, 3).value, 70);
});

const dist = (a: number, b: number, weight = 1) => `<Segment weight="${weight}"><True/><TreeModel functionName="classification">${schema(null, ['x'])}
  <Node score="${a >= b ? 'a' : 'b'}"><True/><ScoreDistribution value="a" recordCount="${a}"/><ScoreDistribution value="b" recordCount="${b}"/></Node></TreeModel></Segment>`;
const classify = (method: string, segs: string): Prediction => loadPmml(pmmlDoc(fields,
  `<MiningModel functionName="classification">${schema('k', ['x'])}<Segmentation multipleModelMethod="${method}">${segs}</Segmentation></MiningModel>`)).score({ x: 0 });

test('classification majorityVote / weightedMajorityVote', () => {
  const segs = dist(9, 1) + dist(8, 2) + dist(1, 9, 5);
  assert.equal(classify('majorityVote', segs), { value: 'a', probabilities: { a: 2 / 3, b: 1 / 3 } });
  assert.equal(classify('weightedMajorityVote', segs), { value: 'b', probabilities: { a: 2 / 7, b: 5 / 7 } });
});

test('classification average / weightedAverage of probabilities', () => {
  const segs = dist(9, 1) + dist(6, 4) + dist(0, 10, 3);
  const avg = classify('average', segs);
  assert.is(avg.value, 'a');
  assert.ok(near(avg.probabilities!.a!, 1.5 / 3) && near(avg.probabilities!.b!, 1.5 / 3));
  const w = classify('weightedAverage', segs);
  assert.is(w.value, 'b');
  assert.ok(near(w.probabilities!.a!, 1.5 / 5) && near(w.probabilities!.b!, 3.5 / 5));
});

test('classification max: the segment(s) with the highest probability for any label', () => {
  const p = classify('max', dist(7, 3) + dist(2, 8) + dist(8, 2) + dist(2, 8));
  assert.is(p.value, 'a');
  assert.ok(near(p.probabilities!.a!, 0.8) && near(p.probabilities!.b!, 0.2));
  const tie = classify('max', dist(2, 8) + dist(8, 2) + dist(2, 8));
  assert.is(tie.value, 'a');
});

test('classification median: the segments closest to the winning median', () => {
  const p = classify('median', dist(9, 1) + dist(6, 4) + dist(3, 7));
  assert.is(p.value, 'a');
  assert.ok(near(p.probabilities!.a!, 0.6) && near(p.probabilities!.b!, 0.4));
});

test('classification selectFirst and modelChain return one segment\'s distribution', () => {
  assert.equal(classify('selectFirst', dist(3, 1) + dist(0, 1)), { value: 'a', probabilities: { a: 0.75, b: 0.25 } });
  assert.equal(classify('modelChain', dist(3, 1) + dist(1, 3)), { value: 'b', probabilities: { a: 0.25, b: 0.75 } });
});

test('a method invalid for the function (sum for classification) is rejected at load', () => {
  assert.throws(() => classify('sum', dist(1, 1)), /multipleModelMethod="sum"/);
});

test.run();
