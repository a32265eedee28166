// A RegressionTable without its required intercept: JPMML loads the document and fails a record
// when it reaches the intercept, that is once every predictor of the table has a value; a record
// with a missing numeric input gets the Targets' prior probabilities first (its PriorProbabilitiesTest).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const model = () => loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y', dataType: 'string', inner: '<Value value="YES"/><Value value="NO"/>' }],
  `<RegressionModel functionName="classification">${schema('y', ['x'])}
    <Targets><Target field="y"><TargetValue value="YES" priorProbability="0.02"/><TargetValue value="NO" priorProbability="0.98"/></Target></Targets>
    <RegressionTable targetCategory="YES" intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
    <RegressionTable targetCategory="NO"/></RegressionModel>`));

test('a record that reaches a table without intercept fails, naming the element and the attribute', () => {
  assert.throws(() => model().score({ x: 1 }), (e: unknown) => e instanceof RecordError && /<RegressionTable targetCategory="NO"> lacks the required attribute intercept/.test((e as Error).message));
});

test('a record with a missing input gets the prior probabilities, as JPMML', () => {
  const p = model().score({});
  assert.is(p.value, 'NO');
  assert.equal(p.probabilities, { YES: 0.02, NO: 0.98 });
});

test.run();
