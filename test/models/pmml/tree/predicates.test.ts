// TreeModel predicates: every SimplePredicate operator, SimpleSetPredicate, CompoundPredicate
// (and/or/xor/surrogate), True/False — each node tested alone under a root whose first child is it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, type FeatureRecord } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [
  { name: 'x' }, { name: 'y' },
  { name: 'c', dataType: 'string', inner: '<Value value="red"/><Value value="green"/><Value value="blue"/>' },
  { name: 'out', dataType: 'string', inner: '<Value value="hit"/><Value value="miss"/>' },
];

/** A tree answering "hit" when `predicate` is true, else "miss" (a second, always-true child). */
function treeWith(predicate: string, extra = ''): (r: FeatureRecord) => unknown {
  const model = loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification" ${extra}>${schema('out', ['x', 'y', 'c'])}
    <Node score="miss"><True/>
      <Node score="hit">${predicate}</Node>
      <Node score="miss"><True/></Node>
    </Node></TreeModel>`));
  return (r) => model.score(r).value;
}

const cases: Array<[string, number, string]> = [
  ['equal', 2, 'hit'], ['equal', 3, 'miss'], ['notEqual', 3, 'hit'], ['notEqual', 2, 'miss'],
  ['lessThan', 1, 'hit'], ['lessThan', 2, 'miss'], ['lessOrEqual', 2, 'hit'], ['lessOrEqual', 2.5, 'miss'],
  ['greaterThan', 3, 'hit'], ['greaterThan', 2, 'miss'], ['greaterOrEqual', 2, 'hit'], ['greaterOrEqual', 1.5, 'miss'],
];
for (const [op, x, want] of cases) {
  test(`SimplePredicate ${op} 2 with x=${x} → ${want}`, () => {
    assert.is(treeWith(`<SimplePredicate field="x" operator="${op}" value="2"/>`)({ x, y: 0, c: 'red' }), want);
  });
}

test('SimplePredicate isMissing / isNotMissing', () => {
  assert.is(treeWith('<SimplePredicate field="x" operator="isMissing"/>')({ y: 0, c: 'red' }), 'hit');
  assert.is(treeWith('<SimplePredicate field="x" operator="isMissing"/>')({ x: 1, y: 0, c: 'red' }), 'miss');
  assert.is(treeWith('<SimplePredicate field="x" operator="isNotMissing"/>')({ x: 1, y: 0, c: 'red' }), 'hit');
});

test('SimpleSetPredicate isIn / isNotIn with a quoted string Array', () => {
  const isIn = treeWith('<SimpleSetPredicate field="c" booleanOperator="isIn"><Array n="2" type="string">"red" blue</Array></SimpleSetPredicate>');
  assert.is(isIn({ x: 0, y: 0, c: 'red' }), 'hit');
  assert.is(isIn({ x: 0, y: 0, c: 'green' }), 'miss');
  const notIn = treeWith('<SimpleSetPredicate field="c" booleanOperator="isNotIn"><Array n="1" type="string">red</Array></SimpleSetPredicate>');
  assert.is(notIn({ x: 0, y: 0, c: 'green' }), 'hit');
});

const gt = (f: string) => `<SimplePredicate field="${f}" operator="greaterThan" value="0"/>`;
test('CompoundPredicate and / or / xor', () => {
  const and = treeWith(`<CompoundPredicate booleanOperator="and">${gt('x')}${gt('y')}</CompoundPredicate>`);
  assert.is(and({ x: 1, y: 1, c: 'red' }), 'hit');
  assert.is(and({ x: 1, y: -1, c: 'red' }), 'miss');
  const or = treeWith(`<CompoundPredicate booleanOperator="or">${gt('x')}${gt('y')}</CompoundPredicate>`);
  assert.is(or({ x: -1, y: 1, c: 'red' }), 'hit');
  assert.is(or({ x: -1, y: -1, c: 'red' }), 'miss');
  const xor = treeWith(`<CompoundPredicate booleanOperator="xor">${gt('x')}${gt('y')}</CompoundPredicate>`);
  assert.is(xor({ x: 1, y: -1, c: 'red' }), 'hit');
  assert.is(xor({ x: 1, y: 1, c: 'red' }), 'miss');
});

test('CompoundPredicate surrogate: the first predicate that is not UNKNOWN decides', () => {
  const sur = treeWith(`<CompoundPredicate booleanOperator="surrogate">${gt('x')}${gt('y')}<False/></CompoundPredicate>`);
  assert.is(sur({ x: 1, y: -1, c: 'red' }), 'hit');
  assert.is(sur({ y: 1, c: 'red' }), 'hit');
  assert.is(sur({ y: -1, c: 'red' }), 'miss');
  assert.is(sur({ c: 'red' }), 'miss');
});

test('True and False', () => {
  assert.is(treeWith('<True/>')({ x: 0, y: 0, c: 'red' }), 'hit');
  assert.is(treeWith('<False/>')({ x: 0, y: 0, c: 'red' }), 'miss');
});

test('ordinal fields order by their declared values; integer fields compare with a fractional value', () => {
  const ordFields = [
    { name: 'size', dataType: 'string', optype: 'ordinal', inner: '<Value value="small"/><Value value="medium"/><Value value="large"/>' },
    { name: 'n', dataType: 'integer' },
    { name: 'out', dataType: 'string', inner: '<Value value="hit"/><Value value="miss"/>' },
  ];
  const tree = (p: string) => loadPmml(pmmlDoc(ordFields, `<TreeModel functionName="classification">${schema('out', ['size', 'n'])}
    <Node score="miss"><True/><Node score="hit">${p}</Node><Node score="miss"><True/></Node></Node></TreeModel>`));
  const ord = tree('<SimplePredicate field="size" operator="greaterThan" value="small"/>');
  assert.is(ord.score({ size: 'large', n: 0 }).value, 'hit');
  assert.is(ord.score({ size: 'small', n: 0 }).value, 'miss');
  assert.is(tree('<SimplePredicate field="n" operator="lessThan" value="2.5"/>').score({ size: 'small', n: 2 }).value, 'hit');
});

test('an unknown predicate element is rejected at load, naming it', () => {
  assert.throws(() => treeWith('<FancyPredicate/>'), /FancyPredicate/);
});

test.run();
