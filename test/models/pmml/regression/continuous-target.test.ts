// A classification RegressionModel whose target field is continuous: JPMML's evaluator rejects the
// element for every record (InvalidElementException, seen in a cPMML Audit document); ours fails them too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const model = (optype: string) => loadPmml(pmmlDoc([{ name: 'x' }, { name: 'y', dataType: 'integer', optype }],
  `<RegressionModel functionName="classification" normalizationMethod="softmax">${schema('y', ['x'])}
    <RegressionTable targetCategory="1" intercept="0.5"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
    <RegressionTable targetCategory="0" intercept="0"/></RegressionModel>`));

test('a continuous target fails every record', () => {
  assert.throws(() => model('continuous').score({ x: 1 }), (e: unknown) => e instanceof RecordError && /continuous/.test((e as Error).message));
});

test('the same model with a categorical target scores', () => {
  assert.is(model('categorical').score({ x: 1 }).value, 1);
});

test.run();
