// Targets (rescale, clamp, castInteger, defaultValue, priors) and Output fields.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../lib/models/index.ts';
import { linear, pmmlDoc, schema } from './snippets.ts';

const regression = (target: string) => loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }], linear('y', { x: 1 }, 0, `<Targets>${target}</Targets>`)));

test('rescaleFactor and rescaleConstant', () => {
  assert.is(regression('<Target field="y" rescaleFactor="3" rescaleConstant="1"/>').score({ x: 2 }).value, 7);
});

test('min/max clamp before rescaling', () => {
  const m = regression('<Target field="y" min="0" max="5" rescaleFactor="2"/>');
  assert.is(m.score({ x: 9 }).value, 10);
  assert.is(m.score({ x: -9 }).value, 0);
});

test('castInteger round / ceiling / floor', () => {
  assert.is(regression('<Target field="y" castInteger="round"/>').score({ x: 2.5 }).value, 3);
  assert.is(regression('<Target field="y" castInteger="ceiling"/>').score({ x: 2.1 }).value, 3);
  assert.is(regression('<Target field="y" castInteger="floor"/>').score({ x: 2.9 }).value, 2);
});

test('TargetValue defaultValue replaces a missing regression result (and is post-processed too)', () => {
  assert.is(regression('<Target field="y" rescaleFactor="2"><TargetValue defaultValue="4"/></Target>').score({}).value, 8);
});

test('TargetValue priorProbability gives the distribution when a classifier has no result', () => {
  const fields = [{ name: 'x' }, { name: 'k', dataType: 'string', inner: '<Value value="a"/><Value value="b"/>' }];
  const m = loadPmml(pmmlDoc(fields, `<RegressionModel functionName="classification" normalizationMethod="softmax">${schema('k', ['x'])}
    <Targets><Target field="k"><TargetValue value="a" priorProbability="0.3"/><TargetValue value="b" priorProbability="0.7"/></Target></Targets>
    <RegressionTable intercept="0" targetCategory="a"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
    <RegressionTable intercept="0" targetCategory="b"/></RegressionModel>`));
  assert.equal(m.score({}), { value: 'b', probabilities: { a: 0.3, b: 0.7 } });
});

test('a numeric class label is returned as a number', () => {
  const fields = [{ name: 'x' }, { name: 'q', dataType: 'string', inner: '<Value value="6"/><Value value="7"/>' }];
  const m = loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('q', ['x'])}<Node score="7"><True/></Node></TreeModel>`));
  assert.is(m.score({ x: 1 }).value, 7);
});

test('OutputField transformedValue can use earlier output fields; unsupported features are rejected', () => {
  const out = (fieldXml: string) => regression('').constructor && loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y' }],
    linear('y', { x: 1 }, 0, `<Output><OutputField name="p" feature="predictedValue" dataType="double"/>${fieldXml}</Output>`)));
  assert.is(out('<OutputField name="t" feature="transformedValue" dataType="double"><Apply function="*"><FieldRef field="p"/><Constant>2</Constant></Apply></OutputField>').score({ x: 3 }).value, 3);
  assert.throws(() => out('<OutputField name="r" feature="x-report"/>'), /feature="x-report"/);
});

test.run();
