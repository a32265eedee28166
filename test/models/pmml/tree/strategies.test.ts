// TreeModel strategies: noTrueChildStrategy and missingValueStrategy, regression trees,
// ScoreDistribution probabilities.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y' }];
const tree = (attrs: string) => loadPmml(pmmlDoc(fields, `<TreeModel functionName="regression" ${attrs}>${schema('y', ['x'])}
  <Node score="1"><True/>
    <Node id="a" score="10"><SimplePredicate field="x" operator="lessThan" value="0"/></Node>
    <Node id="b" score="20" defaultChild="b2"><SimplePredicate field="x" operator="greaterThan" value="5"/>
      <Node id="b1" score="21"><SimplePredicate field="x" operator="greaterThan" value="100"/></Node>
      <Node id="b2" score="22"><SimplePredicate field="x" operator="greaterThan" value="200"/></Node>
    </Node>
  </Node></TreeModel>`));

test('a leaf whose predicate is true gives its score', () => {
  assert.is(tree('').score({ x: -1 }).value, 10);
});

test('noTrueChildStrategy returnNullPrediction (default) gives no prediction', () => {
  assert.is(tree('').score({ x: 1 }).value, null);
  assert.is(tree('').score({ x: 6 }).value, null);
});

test('noTrueChildStrategy returnLastPrediction gives the last node that was true', () => {
  assert.is(tree('noTrueChildStrategy="returnLastPrediction"').score({ x: 1 }).value, 1);
  assert.is(tree('noTrueChildStrategy="returnLastPrediction"').score({ x: 6 }).value, 20);
});

test('missingValueStrategy none: an UNKNOWN child is skipped', () => {
  assert.is(tree('missingValueStrategy="none" noTrueChildStrategy="returnLastPrediction"').score({}).value, 1);
});

test('missingValueStrategy nullPrediction / lastPrediction', () => {
  assert.is(tree('missingValueStrategy="nullPrediction" noTrueChildStrategy="returnLastPrediction"').score({}).value, null);
  assert.is(tree('missingValueStrategy="lastPrediction"').score({}).value, 1);
});

test('missingValueStrategy defaultChild follows the defaultChild without testing it', () => {
  const m = loadPmml(pmmlDoc(fields, `<TreeModel functionName="regression" missingValueStrategy="defaultChild">${schema('y', ['x'])}
    <Node score="1" defaultChild="n2"><True/>
      <Node id="n1" score="10"><SimplePredicate field="x" operator="lessThan" value="0"/></Node>
      <Node id="n2" score="20"><SimplePredicate field="x" operator="greaterOrEqual" value="0"/></Node>
    </Node></TreeModel>`));
  assert.is(m.score({}).value, 20);
  assert.is(m.score({ x: -3 }).value, 10);
});

test('a defaultChild naming no child is rejected at load', () => {
  assert.throws(() => loadPmml(pmmlDoc(fields, `<TreeModel functionName="regression">${schema('y', ['x'])}
    <Node score="1" defaultChild="zz"><True/><Node id="n1" score="2"><True/></Node></Node></TreeModel>`)), /defaultChild="zz"/);
});

test('weightedConfidence and aggregateNodes score complete records and fail one that reaches a missing value (as JPMML 1.7)', () => {
  for (const strategy of ['weightedConfidence', 'aggregateNodes']) {
    const m = tree(`missingValueStrategy="${strategy}"`);
    assert.is(m.score({ x: -1 }).value, 10);
    assert.throws(() => m.score({}), (e: unknown) => e instanceof RecordError && new RegExp(`missingValueStrategy="${strategy}"`).test((e as Error).message));
  }
});

test('classification: probabilities from recordCount, or from the probability attribute', () => {
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }],
    `<TreeModel functionName="classification">${schema('k', ['x'])}
    <Node score="a"><True/>
      <Node score="b"><SimplePredicate field="x" operator="lessThan" value="0"/>
        <ScoreDistribution value="a" recordCount="1"/><ScoreDistribution value="b" recordCount="3"/></Node>
      <Node score="a"><True/>
        <ScoreDistribution value="a" recordCount="9" probability="0.6"/><ScoreDistribution value="b" recordCount="1" probability="0.4"/></Node>
    </Node></TreeModel>`));
  assert.equal(m.score({ x: -1 }), { value: 'b', probabilities: { a: 0.25, b: 0.75 } });
  assert.equal(m.score({ x: 1 }), { value: 'a', probabilities: { a: 0.6, b: 0.4 } });
});

test.run();
