// A classification tree over a numeric target: ScoreDistribution@value and OutputField@value name
// the target's values by number ("7" is the DataField's "7.0"), as JPMML parses them as the
// target's dataType (seen in a JPMML-SkLearn digits tree).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [
  { name: 'x' },
  { name: 'digit', dataType: 'float', optype: 'categorical', inner: '<Value value="3.0"/><Value value="7.0"/>' },
];
const model = () => loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('digit', ['x'])}
  <Output><OutputField name="p7" optype="continuous" dataType="double" feature="probability" value="7"/></Output>
  <Node><True/>
    <Node><SimplePredicate field="x" operator="lessThan" value="0"/>
      <ScoreDistribution value="3" recordCount="1"/><ScoreDistribution value="7" recordCount="3"/></Node>
    <Node><True/><ScoreDistribution value="3" recordCount="4"/><ScoreDistribution value="7" recordCount="0"/></Node>
  </Node></TreeModel>`));

test('ScoreDistribution values of a float target are the DataField labels of equal value', () => {
  const p = model().score({ x: -1 });
  assert.equal(p.probabilities, { '3.0': 0.25, '7.0': 0.75 });
  assert.is(p.value, 7);
});

test('OutputField probability value="7" reads the label "7.0"', () => {
  assert.is(model().score({ x: -1 }).outputs?.['p7'], 0.75);
});

test.run();
