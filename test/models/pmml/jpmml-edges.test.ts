// Behaviours the public corpus showed JPMML 1.7 has and ours lacked: residual and decision
// outputs, replace/matches, integer and float targets, string inputs and Values matched as written,
// several targets from a model chain, missing segment predictions, defaultChild required.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, RecordError } from '../../../lib/models/index.ts';
import { linear, pmmlDoc, schema } from './snippets.ts';

const isRecordError = (e: unknown) => e instanceof RecordError;

test('residual of a regression is the record\'s target minus the prediction, the target through its MiningField', () => {
  const model = `<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/>
    <MiningField name="y" usageType="target" missingValueReplacement="10"/></MiningSchema>
    <Output><OutputField name="r" feature="residual"/></Output><RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], model));
  assert.is(m.score({ x: 1, y: 5 }).outputs?.['r'], 2);
  assert.is(m.score({ x: 1 }).outputs?.['r'], 7);
});

test('residual of a class is 1 or 0 minus the predicted class\'s probability; a missing target fails the record', () => {
  const fields = [{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];
  const model = `<TreeModel functionName="classification">${schema('k', ['x'])}<Output><OutputField name="r" feature="residual"/></Output>
    <Node><True/><ScoreDistribution value="a" recordCount="3"/><ScoreDistribution value="b" recordCount="1"/></Node></TreeModel>`;
  const m = loadPmml(pmmlDoc(fields, model));
  assert.is(m.score({ x: 1, k: 'a' }).outputs?.['r'], 0.25);
  assert.is(m.score({ x: 1, k: 'b' }).outputs?.['r'], -0.75);
  assert.throws(() => m.score({ x: 1 }), isRecordError);
});

test('decision is computed as a transformedValue beside its Decisions', () => {
  const out = `<Output><OutputField name="d" dataType="string" feature="decision"><Decisions><Decision value="hi"/><Decision value="lo"/></Decisions>
    <Apply function="if"><Apply function="greaterThan"><FieldRef field="x"/><Constant>0</Constant></Apply><Constant>hi</Constant><Constant>lo</Constant></Apply></OutputField></Output>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], linear('y', { x: 1 }, 0, out)));
  assert.is(m.score({ x: 2 }).outputs?.['d'], 'hi');
  assert.is(m.score({ x: -2 }).outputs?.['d'], 'lo');
});

test('replace substitutes every match with back-references; matches tests a pattern', () => {
  const td = `<TransformationDictionary><DerivedField name="t" optype="categorical" dataType="string">
    <Apply function="replace"><FieldRef field="s"/><Constant>(\\w+)-(\\w+)</Constant><Constant>$2+$1</Constant></Apply></DerivedField>
    <DerivedField name="hit" optype="categorical" dataType="boolean"><Apply function="matches"><FieldRef field="s"/><Constant>^a</Constant></Apply></DerivedField></TransformationDictionary>`;
  const model = `<RegressionModel functionName="regression">${schema('y', ['s'])}<Output><OutputField name="out" feature="transformedValue" dataType="string"><FieldRef field="t"/></OutputField>
    <OutputField name="test" feature="transformedValue" dataType="boolean"><FieldRef field="hit"/></OutputField></Output><RegressionTable intercept="0"/></RegressionModel>`;
  const m = loadPmml(pmmlDoc([{ name: 's', dataType: 'string' }, { name: 'y' }], model, td));
  assert.equal(m.score({ s: 'ab-cd ef-gh' }).outputs, { out: 'cd+ab gh+ef', test: true });
});

test('an integer target refuses a fractional result; a float target is rounded to float32', () => {
  const int = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y', dataType: 'integer' }], linear('y', { x: 1 })));
  assert.is(int.score({ x: 2 }).value, 2);
  assert.throws(() => int.score({ x: 2.5 }), isRecordError);
  const float = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y', dataType: 'float' }], linear('y', { x: 1 })));
  assert.is(float.score({ x: 0.1 }).value, Math.fround(0.1));
});

test('a string input is matched as written: a spaced Value matches only the spaced input (as JPMML)', () => {
  const model = `<RegressionModel functionName="regression">${schema('y', ['c'])}<RegressionTable intercept="0"><CategoricalPredictor name="c" value=" b" coefficient="1"/></RegressionTable></RegressionModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'c', dataType: 'string', inner: '<Value value="a"/><Value value=" b"/>' }, { name: 'y' }], model));
  assert.is(m.score({ c: ' b' }).value, 1);
  assert.throws(() => m.score({ c: 'b' }), isRecordError);
  assert.throws(() => m.score({ c: ' b ' }), isRecordError);
});

test('a number\'s text may have surrounding spaces; a boolean is true/false in any case, or 1/0', () => {
  const model = `<RegressionModel functionName="regression">${schema('y', ['x', 'f'])}<RegressionTable intercept="0"><NumericPredictor name="x" coefficient="2"/>
    <CategoricalPredictor name="f" value="true" coefficient="10"/></RegressionTable></RegressionModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'f', dataType: 'boolean' }, { name: 'y' }], model));
  assert.is(m.score({ x: ' 1.5 ', f: 'TRUE' }).value, 13);
  assert.is(m.score({ x: 1, f: ' 1.0' }).value, 12);
  assert.is(m.score({ x: 1, f: '0' }).value, 2);
  assert.throws(() => m.score({ x: 1, f: 'true ' }), isRecordError);
});

const chain = `<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="k" usageType="target"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Segmentation multipleModelMethod="modelChain">
    <Segment id="1"><True/><TreeModel functionName="classification"><MiningSchema><MiningField name="x"/><MiningField name="k" usageType="target"/></MiningSchema>
      <Output><OutputField name="pk" feature="probability" value="a"/></Output>
      <Node><True/><ScoreDistribution value="a" recordCount="1"/><ScoreDistribution value="b" recordCount="3"/></Node></TreeModel></Segment>
    <Segment id="2"><True/><RegressionModel functionName="regression"><MiningSchema><MiningField name="pk"/><MiningField name="y" usageType="target"/></MiningSchema>
      <RegressionTable intercept="1"><NumericPredictor name="pk" coefficient="4"/></RegressionTable></RegressionModel></Segment>
  </Segmentation></MiningModel>`;

test('a model chain with two targets reports each: the last segment\'s target, the other missing (as JPMML)', () => {
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }, { name: 'y' }], chain));
  const p = m.score({ x: 1 });
  assert.equal(p.targets, { k: null, y: 2 });
  assert.is(p.value, null);
  // JPMML reports the outputs of the chain's tail from its last True segment only: none here.
  assert.is(p.outputs, undefined);
});

const vote = (treatment: string) => `<MiningModel functionName="classification">${schema('k', ['x'])}
  <Segmentation multipleModelMethod="majorityVote" ${treatment}>
    ${['a', 'b', null, null].map((score, i) => `<Segment id="${i}"><True/><TreeModel functionName="classification">${schema('k', ['x'])}
      <Node${score === null ? '' : ` score="${score}"`}><True/>${score === null ? '<Node score="a"><SimplePredicate field="x" operator="greaterThan" value="0"/></Node>' : ''}</Node></TreeModel></Segment>`).join('')}
  </Segmentation></MiningModel>`;
const kField = [{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];

test('majorityVote with missing segment results: continue counts them as a vote for missing, skipSegment drops them', () => {
  // x ≤ 0: two segments have no result, one votes a, one b.
  assert.is(loadPmml(pmmlDoc(kField, vote(''))).score({ x: -1 }).value, null);
  assert.is(loadPmml(pmmlDoc(kField, vote('missingPredictionTreatment="skipSegment"'))).score({ x: -1 }).value, 'a');
  assert.is(loadPmml(pmmlDoc(kField, vote('missingPredictionTreatment="returnMissing"'))).score({ x: -1 }).value, null);
  assert.is(loadPmml(pmmlDoc(kField, vote('x-missingPredictionTreatment="skipSegment" x-missingThreshold="0.4"'))).score({ x: -1 }).value, null);
  assert.is(loadPmml(pmmlDoc(kField, vote(''))).score({ x: 1 }).value, 'a');
});

test('a missing value under defaultChild at a Node without defaultChild fails the record', () => {
  const model = `<TreeModel functionName="regression" missingValueStrategy="defaultChild">${schema('y', ['x'])}
    <Node score="0"><True/><Node score="1"><SimplePredicate field="x" operator="lessThan" value="0"/></Node><Node score="2"><True/></Node></Node></TreeModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], model));
  assert.is(m.score({ x: -1 }).value, 1);
  assert.throws(() => m.score({}), isRecordError);
});

test('a TransformationDictionary field read in a segment uses that segment\'s missingValueReplacement', () => {
  const td = `<TransformationDictionary><DerivedField name="sq" optype="continuous" dataType="double"><Apply function="*"><FieldRef field="x"/><FieldRef field="x"/></Apply></DerivedField></TransformationDictionary>`;
  const model = `<MiningModel functionName="regression">${schema('y', ['x'])}<Segmentation multipleModelMethod="sum">
    <Segment id="1"><True/><RegressionModel functionName="regression"><MiningSchema><MiningField name="x" missingValueReplacement="3"/></MiningSchema>
      <RegressionTable intercept="0"><NumericPredictor name="sq" coefficient="1"/></RegressionTable></RegressionModel></Segment></Segmentation></MiningModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], model, td));
  assert.is(m.score({ x: 2 }).value, 4);
  assert.is(m.score({}).value, 9);
});

test('a model chain reports the Output fields of its segments from the last True one, valued only for the final segment', () => {
  const seg = (id: string, pred: string, out: string, coef: number) => `<Segment id="${id}">${pred}<RegressionModel functionName="regression">
    <MiningSchema><MiningField name="x"/></MiningSchema><Output><OutputField name="${out}" feature="predictedValue"/></Output>
    <RegressionTable intercept="0"><NumericPredictor name="x" coefficient="${coef}"/></RegressionTable></RegressionModel></Segment>`;
  const model = `<MiningModel functionName="regression">${schema('y', ['x'])}<Segmentation multipleModelMethod="modelChain">
    ${seg('1', '<True/>', 'a', 1)}${seg('2', '<SimplePredicate field="a" operator="greaterThan" value="0"/>', 'b', 2)}</Segmentation></MiningModel>`;
  const m = loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], model));
  assert.equal(m.score({ x: 1 }).outputs, { a: null, b: 2 });
  assert.equal(m.score({ x: -1 }).outputs, { a: -1, b: null });
});

test.run();
