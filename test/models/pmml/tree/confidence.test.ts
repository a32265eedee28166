// OutputField feature="confidence" of a classification tree: the ScoreDistribution@confidence of
// the named class, else of the predicted one; 0 for a class without one (JPMML's NodeScoreDistribution).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { refuses } from '../refuses.ts';
import { linear, pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'c', dataType: 'string', inner: '<Value value="yes"/><Value value="no"/>' }];
const model = () => loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('c', ['x'])}
  <Output>
    <OutputField name="conf" optype="continuous" dataType="double" feature="confidence"/>
    <OutputField name="confNo" optype="continuous" dataType="double" feature="confidence" value="no"/>
  </Output>
  <Node><True/>
    <Node><SimplePredicate field="x" operator="lessThan" value="0"/>
      <ScoreDistribution value="yes" recordCount="3" confidence="0.6"/><ScoreDistribution value="no" recordCount="1" confidence="0.2"/></Node>
    <Node><True/><ScoreDistribution value="yes" recordCount="1"/><ScoreDistribution value="no" recordCount="3" confidence="0.7"/></Node>
  </Node></TreeModel>`));

test('confidence of the predicted class and of a named class', () => {
  assert.equal(model().score({ x: -1 }).outputs, { conf: 0.6, confNo: 0.2 });
});

test('a class whose ScoreDistribution gives no confidence has confidence 0', () => {
  const p = model().score({ x: 1 });
  assert.is(p.value, 'no');
  assert.equal(p.outputs, { conf: 0.7, confNo: 0.7 });
  const yes = loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('c', ['x'])}
    <Output><OutputField name="conf" optype="continuous" dataType="double" feature="confidence" value="yes"/></Output>
    <Node><True/><ScoreDistribution value="yes" recordCount="1"/><ScoreDistribution value="no" recordCount="3" confidence="0.7"/></Node></TreeModel>`));
  assert.is(yes.score({ x: 1 }).outputs?.['conf'], 0);
});

test('feature="confidence" on a model without confidences is refused at load, naming it', () => {
  const reg = [{ name: 'x' }, { name: 'y' }];
  refuses(pmmlDoc(reg, linear('y', { x: 1 }, 0, '<Output><OutputField name="k" feature="confidence"/></Output>')), 'feature="confidence"');
});

test.run();
