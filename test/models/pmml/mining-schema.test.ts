// MiningSchema and DataDictionary: missing/invalid/outlier treatments, valid values and
// intervals, record field lookup by DataField or proto-style name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, RecordError, type FeatureRecord } from '../../../lib/models/index.ts';
import { linear, pmmlDoc } from './snippets.ts';

/** y = x (identity regression) with the given MiningField attributes on x. */
function identity(miningAttrs: string, dataField = ''): (r: FeatureRecord) => unknown {
  const model = linear('y', { x: 1 }).replace('<MiningField name="x"/>', `<MiningField name="x" ${miningAttrs}/>`);
  const m = loadPmml(pmmlDoc([{ name: 'x', inner: dataField }, { name: 'y' }], model));
  return (r) => m.score(r).value;
}
const isRecordError = (e: unknown) => e instanceof RecordError;

test('missingValueReplacement replaces a missing value', () => {
  assert.is(identity('missingValueReplacement="4.5"')({}), 4.5);
  assert.is(identity('missingValueReplacement="4.5"')({ x: null }), 4.5);
  assert.is(identity('missingValueReplacement="4.5"')({ x: Number.NaN }), 4.5);
});

test('a missing value with no treatment gives no prediction', () => {
  assert.is(identity('')({}), null);
});

test('missingValueTreatment="returnInvalid" fails the record', () => {
  assert.throws(() => identity('missingValueTreatment="returnInvalid"')({}), isRecordError);
});

test('a DataField Value with property="missing" marks a missing value', () => {
  assert.is(identity('missingValueReplacement="1"', '<Value value="-999" property="missing"/>')({ x: -999 }), 1);
});

test('invalidValueTreatment returnInvalid (default) fails the record for a value outside the Interval', () => {
  const f = identity('', '<Interval closure="closedClosed" leftMargin="0" rightMargin="10"/>');
  assert.is(f({ x: 10 }), 10);
  assert.throws(() => f({ x: 11 }), isRecordError);
  assert.throws(() => identity('')({ x: 'abc' }), (e: unknown) => isRecordError(e) && /"x"/.test((e as Error).message));
});

test('invalidValueTreatment asIs keeps the value; asMissing makes it missing (then replaced)', () => {
  const iv = '<Interval closure="closedClosed" leftMargin="0" rightMargin="10"/>';
  assert.is(identity('invalidValueTreatment="asIs"', iv)({ x: 11 }), 11);
  assert.is(identity('invalidValueTreatment="asMissing" missingValueReplacement="3"', iv)({ x: 11 }), 3);
  assert.is(identity('invalidValueTreatment="asMissing"', iv)({ x: 11 }), null);
});

test('outliers asMissingValues and asExtremeValues with lowValue/highValue', () => {
  assert.is(identity('outliers="asExtremeValues" lowValue="1" highValue="5"')({ x: 9 }), 5);
  assert.is(identity('outliers="asExtremeValues" lowValue="1" highValue="5"')({ x: -9 }), 1);
  assert.is(identity('outliers="asExtremeValues" lowValue="1" highValue="5"')({ x: 3 }), 3);
  assert.is(identity('outliers="asMissingValues" lowValue="1" highValue="5" missingValueReplacement="2"')({ x: 9 }), 2);
});

test('a numeric string is converted to the field\'s dataType', () => {
  assert.is(identity('')({ x: '2.25' }), 2.25);
});

test('categorical valid values: a value not listed is invalid', () => {
  const m = loadPmml(pmmlDoc([{ name: 'c', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }, { name: 'y' }],
    `<RegressionModel functionName="regression"><MiningSchema><MiningField name="y" usageType="target"/><MiningField name="c"/></MiningSchema>
     <RegressionTable intercept="1"><CategoricalPredictor name="c" value="b" coefficient="1"/></RegressionTable></RegressionModel>`));
  assert.is(m.score({ c: 'b' }).value, 2);
  assert.throws(() => m.score({ c: 'z' }), isRecordError);
});

test('fields are found by DataField name, by `_` for spaces, and case-insensitively', () => {
  const m = loadPmml(pmmlDoc([{ name: 'fixed acidity' }, { name: 'y' }], linear('y', { 'fixed acidity': 2 })));
  assert.is(m.score({ 'fixed acidity': 1 }).value, 2);
  assert.is(m.score({ fixed_acidity: 1.5 }).value, 3);
  assert.is(m.score({ Fixed_Acidity: 2 }).value, 4);
});

test('every active field is prepared: an invalid value fails the record even where the model never reads it (as JPMML\'s InputField.prepare)', () => {
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'z' }, { name: 'y' }], `<TreeModel functionName="regression">
    <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/><MiningField name="z"/></MiningSchema>
    <Node score="0"><True/><Node score="1"><SimplePredicate field="x" operator="lessThan" value="0"/></Node>
      <Node score="2"><SimplePredicate field="z" operator="lessThan" value="0"/></Node></Node></TreeModel>`));
  assert.throws(() => m.score({ x: -1, z: 'not a number' }), isRecordError);
  assert.throws(() => m.score({ x: 1, z: 'not a number' }), isRecordError);
  assert.is(m.score({ x: -1, z: 5 }).value, 1);
});

test('scoreBatch fails the bad record alone and scores the others', () => {
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], linear('y', { x: 1 })));
  const out = m.scoreBatch([{ x: 1 }, { x: 'bad' }, { x: 3 }]);
  assert.equal(out.map((o) => o.kind), ['scored', 'failed', 'scored']);
  assert.ok(out[1]!.kind === 'failed' && out[1]!.error instanceof RecordError);
  assert.ok(out[2]!.kind === 'scored' && out[2]!.prediction.value === 3);
});

test.run();
