// DefineFunction as JPMML evaluates it: its own DerivedFields computed per call, recursion with a
// frame per call; DerivedFields in a cycle load and fail only the record that goes around it;
// the same document against JPMML (skipped without Java).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, RecordError, type FeatureRecord } from '../../../lib/models/index.ts';
import { jpmml, needs } from '../../requirements.ts';
import { diffLoadedAgainstJpmml } from './loaded-against-jpmml.ts';
import { pmmlDoc, schema } from './snippets.ts';

const fields = [{ name: 'v' }, { name: 'n', dataType: 'integer' }, { name: 'flag', dataType: 'boolean', optype: 'categorical' }, { name: 'y' }];
const FUNCTIONS = `<DefineFunction name="POW" optype="continuous" dataType="double">
    <ParameterField name="x" optype="continuous" dataType="double"/><ParameterField name="k" optype="continuous" dataType="integer"/>
    <DerivedField name="more" optype="categorical" dataType="boolean"><Apply function="greaterThan"><FieldRef field="k"/><Constant dataType="integer">1</Constant></Apply></DerivedField>
    <Apply function="if"><FieldRef field="more"/>
      <Apply function="*"><Apply function="POW"><FieldRef field="x"/><Apply function="-"><FieldRef field="k"/><Constant dataType="integer">1</Constant></Apply></Apply><FieldRef field="x"/></Apply>
      <FieldRef field="x"/></Apply></DefineFunction>
  <DefineFunction name="TWICE_PLUS" optype="continuous" dataType="double"><ParameterField name="a" optype="continuous" dataType="double"/>
    <DerivedField name="twice" optype="continuous" dataType="double"><Apply function="*"><FieldRef field="a"/><Constant>2</Constant></Apply></DerivedField>
    <Apply function="+"><FieldRef field="twice"/><Constant>1</Constant></Apply></DefineFunction>`;
const DERIVED = `<DerivedField name="power" optype="continuous" dataType="double"><Apply function="POW"><FieldRef field="v"/><FieldRef field="n"/></Apply></DerivedField>
  <DerivedField name="both" optype="continuous" dataType="double"><Apply function="+"><Apply function="TWICE_PLUS"><FieldRef field="v"/></Apply><Apply function="TWICE_PLUS"><Constant>10</Constant></Apply></Apply></DerivedField>
  <DerivedField name="self" optype="continuous" dataType="double"><Apply function="if"><FieldRef field="flag"/><Apply function="+"><FieldRef field="v"/><FieldRef field="self"/></Apply><FieldRef field="v"/></Apply></DerivedField>
  <DerivedField name="label" optype="categorical" dataType="string"><MapValues outputColumn="data:out"><FieldColumnPair field="n" column="data:in"/>
    <InlineTable><row><data:in>1</data:in><data:out>one</data:out></row><row><data:in>2</data:in><data:out>two</data:out></row></InlineTable></MapValues></DerivedField>
  <DerivedField name="text" optype="categorical" dataType="string"><FieldRef field="power"/></DerivedField>`;
const outputs = ['power', 'both', 'self', 'label', 'text'].map((f) => `<OutputField name="o_${f}" feature="transformedValue" dataType="${f === 'label' || f === 'text' ? 'string' : 'double'}"><FieldRef field="${f}"/></OutputField>`).join('');
const XML = pmmlDoc(fields, `<RegressionModel functionName="regression">${schema('y', ['v', 'n', 'flag'])}<Output>${outputs}</Output>
  <RegressionTable intercept="0"/></RegressionModel>`, `<TransformationDictionary>${FUNCTIONS}${DERIVED}</TransformationDictionary>`)
  .replace('<PMML ', '<PMML xmlns:data="http://jpmml.org/jpmml-model/InlineTable" ');

const score = (r: FeatureRecord) => loadPmml(XML).score(r).outputs ?? {};

test('a recursive DefineFunction gives every call its own parameters: POW(2, 5) = 32', () => {
  assert.is(score({ v: 2, n: 5, flag: false })['o_power'], 32);
});

test('a DefineFunction\'s own DerivedField is computed afresh per call: TWICE_PLUS(3) + TWICE_PLUS(10) = 28', () => {
  assert.is(score({ v: 3, n: 1, flag: false })['o_both'], 28);
});

test('DerivedFields in a cycle load; a record that goes around the cycle fails, naming the field', () => {
  assert.is(score({ v: 3, n: 1, flag: false })['o_self'], 3);
  assert.throws(() => score({ v: 3, n: 1, flag: true }), (e: unknown) => e instanceof RecordError && /<DerivedField name="self">/.test((e as Error).message));
});

test('a recursion that never ends fails the record, not the process', () => {
  assert.throws(() => score({ v: 1, n: 1e7, flag: false }), (e: unknown) => e instanceof RecordError);
});

test('InlineTable columns with a namespace prefix are read (data:in is the <data:in> cell)', () => {
  assert.is(score({ v: 1, n: 2, flag: false })['o_label'], 'two');
});

test('a double cast to a string is written as Java writes it: 32.0, 1.0E-4', () => {
  assert.is(score({ v: 2, n: 5, flag: false })['o_text'], '32.0');
  assert.is(score({ v: 0.0001, n: 1, flag: false })['o_text'], '1.0E-4');
});

const it = needs(jpmml);
it('the document equals JPMML on every record that ends', async () => {
  const records = [2, 0.5, -3, 0.0001, 123456.5, 1e8].flatMap((v, i) => [{ v, n: (i % 4) + 1, flag: false }, { v, n: 2, flag: false }]);
  const diffs = (await diffLoadedAgainstJpmml([{ name: 'define-function', pmml: XML, records }])).get('define-function') ?? ['not scored'];
  assert.equal(diffs, []);
});

test.run();
