// Output fields of a model that gives no result (a missing input): those needing the target value
// are left undefined, the transformedValue/decision ones are still computed (JPMML's OutputUtil),
// so one reading an undefined field fails the record while a self-contained one has its value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { linear, pmmlDoc } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y' }];
const model = (outputs: string) => loadPmml(pmmlDoc(fields, linear('y', { x: 2 }, 0, `<Output>
  <OutputField name="raw" optype="continuous" dataType="double" feature="predictedValue"/>${outputs}</Output>`)));

test('a missing result: a transformedValue reading the predictedValue field fails the record', () => {
  const m = model('<OutputField name="twice" optype="continuous" dataType="double" feature="transformedValue"><Apply function="*"><FieldRef field="raw"/><Constant>2</Constant></Apply></OutputField>');
  assert.is(m.score({ x: 1 }).outputs?.['twice'], 4);
  assert.throws(() => m.score({}), (e: unknown) => e instanceof RecordError);
});

test('a missing result: a transformedValue not reading the result is still computed', () => {
  const m = model('<OutputField name="flag" optype="categorical" dataType="string" feature="transformedValue"><Constant dataType="string">on</Constant></OutputField>');
  const p = m.score({});
  assert.is(p.value, null);
  assert.equal(p.outputs, { raw: null, flag: 'on' });
});

test.run();
