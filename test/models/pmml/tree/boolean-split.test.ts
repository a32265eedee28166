// A boolean field split by a number ("flag lessThan 0.5"): JPMML compares the flag as 0 or 1 with
// the value parsed as a double (its CategoricalBoolean.compareToValue); seen in JPMML's DefaultChildTest.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [
  { name: 'flag', dataType: 'boolean', optype: 'categorical' },
  { name: 'out', dataType: 'string', inner: '<Value value="off"/><Value value="on"/>' },
];
const tree = () => loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('out', ['flag'])}
  <Node score="on"><True/>
    <Node score="off"><SimplePredicate field="flag" operator="lessThan" value="0.5"/></Node>
    <Node score="on"><SimplePredicate field="flag" operator="greaterOrEqual" value="0.5"/></Node>
  </Node></TreeModel>`));

test('a boolean ordered against 0.5: false is below, true above', () => {
  const m = tree();
  assert.is(m.score({ flag: false }).value, 'off');
  assert.is(m.score({ flag: true }).value, 'on');
  assert.is(m.score({ flag: 'true' }).value, 'on');
});

test.run();
