// Transformations: DerivedFields in LocalTransformations / TransformationDictionary with each
// expression kind and the common Apply built-ins, mapMissingTo and defaultValue, DefineFunction.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, RecordError, type FeatureRecord } from '../../../lib/models/index.ts';
import { near, pmmlDoc, schema } from './snippets.ts';

const fields = [{ name: 'x' }, { name: 'z' }, { name: 'c', dataType: 'string' }, { name: 'y' }];

/** A model whose prediction is the DerivedField "d" defined by `expr` (dataType double unless given). */
function derived(expr: string, dataType = 'double', extra = ''): (r: FeatureRecord) => unknown {
  const m = loadPmml(pmmlDoc(fields, `<RegressionModel functionName="regression">${schema('y', ['x', 'z', 'c'])}
    <LocalTransformations><DerivedField name="d" optype="continuous" dataType="${dataType}">${expr}</DerivedField></LocalTransformations>
    <Output><OutputField name="out" feature="transformedValue" dataType="${dataType}"><FieldRef field="d"/></OutputField></Output>
    <RegressionTable intercept="0"><NumericPredictor name="d" coefficient="1"/></RegressionTable></RegressionModel>`, extra));
  return (r) => m.score(r).value;
}
const fx = (f: string, ...args: string[]) => `<Apply function="${f}">${args.join('')}</Apply>`;
const X = '<FieldRef field="x"/>', Z = '<FieldRef field="z"/>';
const K = (v: number | string) => `<Constant>${v}</Constant>`;

test('FieldRef with mapMissingTo, and Constant', () => {
  assert.is(derived('<FieldRef field="x" mapMissingTo="7"/>')({ z: 0, c: 'a' }), 7);
  assert.is(derived(K(2.5))({ x: 1, z: 0, c: 'a' }), 2.5);
});

test('NormContinuous interpolates, extrapolates asIs, clamps asExtremeValues, mapMissingTo', () => {
  const norm = (outliers: string) => derived(`<NormContinuous field="x" outliers="${outliers}" mapMissingTo="-1">
    <LinearNorm orig="0" norm="0"/><LinearNorm orig="10" norm="1"/><LinearNorm orig="20" norm="3"/></NormContinuous>`);
  assert.is(norm('asIs')({ x: 5, z: 0, c: 'a' }), 0.5);
  assert.is(norm('asIs')({ x: 15, z: 0, c: 'a' }), 2);
  assert.is(norm('asIs')({ x: 30, z: 0, c: 'a' }), 5);
  assert.is(norm('asIs')({ x: -10, z: 0, c: 'a' }), -1);
  assert.is(norm('asExtremeValues')({ x: 30, z: 0, c: 'a' }), 3);
  assert.is(norm('asMissingValues')({ x: 30, z: 0, c: 'a' }), null);
  assert.is(norm('asIs')({ z: 0, c: 'a' }), -1);
});

test('NormDiscrete is 1 for its value, else 0', () => {
  const f = derived('<NormDiscrete field="c" value="red"/>');
  assert.is(f({ x: 0, z: 0, c: 'red' }), 1);
  assert.is(f({ x: 0, z: 0, c: 'blue' }), 0);
});

test('Discretize picks the first bin whose Interval holds the value, else defaultValue', () => {
  const f = derived(`<Discretize field="x" dataType="double" defaultValue="-1">
    <DiscretizeBin binValue="1"><Interval closure="openClosed" rightMargin="0"/></DiscretizeBin>
    <DiscretizeBin binValue="2"><Interval closure="openOpen" leftMargin="0" rightMargin="10"/></DiscretizeBin></Discretize>`);
  assert.is(f({ x: 0, z: 0, c: 'a' }), 1);
  assert.is(f({ x: 5, z: 0, c: 'a' }), 2);
  assert.is(f({ x: 10, z: 0, c: 'a' }), -1);
});

test('MapValues looks rows up by one or two columns', () => {
  const f = derived(`<MapValues outputColumn="out" dataType="double" defaultValue="0">
    <FieldColumnPair field="c" column="color"/><FieldColumnPair field="x" column="n"/>
    <InlineTable><row><color>red</color><n>1</n><out>10</out></row><row><color>red</color><n>2</n><out>20</out></row></InlineTable></MapValues>`);
  assert.is(f({ x: 2, z: 0, c: 'red' }), 20);
  assert.is(f({ x: 3, z: 0, c: 'red' }), 0);
});

test('Apply arithmetic, math and aggregate built-ins', () => {
  const r = { x: 2.5, z: -4, c: 'a' };
  const cases: Array<[string, number]> = [
    [fx('+', X, Z), -1.5], [fx('-', X, Z), 6.5], [fx('*', X, Z), -10], [fx('/', Z, X), -1.6],
    [fx('min', X, Z, K(1)), -4], [fx('max', X, Z, K(1)), 2.5], [fx('sum', X, Z, K(1)), -0.5], [fx('avg', X, Z, K(4)), 2.5 / 3],
    [fx('log10', K(1000)), 3], [fx('ln', X), Math.log(2.5)], [fx('exp', X), Math.exp(2.5)], [fx('sqrt', K(16)), 4],
    [fx('abs', Z), 4], [fx('pow', X, K(2)), 6.25], [fx('threshold', X, K(2)), 1], [fx('floor', X), 2], [fx('ceil', X), 3],
    [fx('round', X), 3], [fx('round', K(-2.5)), -2],
  ];
  for (const [expr, want] of cases) assert.ok(near(derived(expr)(r) as number, want), `${expr} → ${derived(expr)(r)}`);
});

test('Apply boolean built-ins and if', () => {
  const r = { x: 2, z: 3, c: 'red' };
  const pick = (cond: string) => derived(fx('if', cond, K(1), K(0)))(r);
  assert.is(pick(fx('lessThan', X, Z)), 1);
  assert.is(pick(fx('greaterOrEqual', X, Z)), 0);
  assert.is(pick(fx('equal', X, K(2))), 1);
  assert.is(pick(fx('notEqual', X, K(2))), 0);
  assert.is(pick(fx('and', fx('lessOrEqual', X, Z), fx('greaterThan', Z, X))), 1);
  assert.is(pick(fx('or', fx('equal', X, Z), fx('not', fx('equal', X, Z)))), 1);
  assert.is(pick(fx('isIn', '<FieldRef field="c"/>', K('"blue"'), K('red'))), 1);
  assert.is(pick(fx('isNotIn', X, K(1), K(2))), 0);
  assert.is(pick(fx('isMissing', X)), 0);
  assert.is(pick(fx('isNotMissing', X)), 1);
  assert.is(derived(fx('if', fx('isMissing', X), K(5)))(r), null);
});

test('arithmetic with a missing operand is missing; aggregates skip missing values', () => {
  assert.is(derived(fx('+', X, Z))({ z: 1, c: 'a' }), null);
  assert.is(derived(fx('sum', X, Z))({ z: 1, c: 'a' }), 1);
});

test('a comparison with a missing operand fails the record, as in JPMML', () => {
  assert.throws(() => derived(fx('if', fx('lessThan', X, Z), K(1), K(0)))({ z: 1, c: 'a' }), (e: unknown) => e instanceof RecordError);
});

test('Apply mapMissingTo and defaultValue', () => {
  assert.is(derived(`<Apply function="*" mapMissingTo="-1">${X}${Z}</Apply>`)({ z: 1, c: 'a' }), -1);
  assert.is(derived(`<Apply function="if" defaultValue="9">${fx('isMissing', X)}${K(1)}</Apply>`)({ x: 1, z: 1, c: 'a' }), 9);
});

test('0/0 fails the record (returnInvalid) or is missing (asMissing)', () => {
  assert.throws(() => derived(fx('/', X, Z))({ x: 0, z: 0, c: 'a' }), (e: unknown) => e instanceof RecordError);
  assert.is(derived(`<Apply function="/" invalidValueTreatment="asMissing">${X}${Z}</Apply>`)({ x: 0, z: 0, c: 'a' }), null);
});

test('TransformationDictionary fields and DefineFunction', () => {
  const dict = `<TransformationDictionary>
    <DefineFunction name="cube" optype="continuous" dataType="double"><ParameterField name="v"/>${fx('pow', '<FieldRef field="v"/>', K(3))}</DefineFunction>
    <DerivedField name="g" optype="continuous" dataType="double">${fx('+', X, K(1))}</DerivedField></TransformationDictionary>`;
  assert.is(derived(fx('cube', '<FieldRef field="g"/>'), 'double', dict)({ x: 1, z: 0, c: 'a' }), 8);
});

test('an unknown Apply function is rejected at load, naming it', () => {
  assert.throws(() => derived(fx('frobnicate', X)), /frobnicate/);
});

test('a DerivedField referring to itself loads (as JPMML); a record that evaluates it fails', () => {
  assert.throws(() => derived('<FieldRef field="d"/>')({ x: 1, z: 0, c: 'a' }), (e: unknown) => e instanceof RecordError && /circular/.test((e as Error).message));
});

test('a DerivedField referring to itself without a dataType is rejected at load', () => {
  const m = () => loadPmml(pmmlDoc(fields, `<RegressionModel functionName="regression">${schema('y', ['x'])}
    <LocalTransformations><DerivedField name="d" optype="continuous"><FieldRef field="d"/></DerivedField></LocalTransformations>
    <RegressionTable intercept="0"><NumericPredictor name="d" coefficient="1"/></RegressionTable></RegressionModel>`));
  assert.throws(m, /circular/);
});

test.run();
