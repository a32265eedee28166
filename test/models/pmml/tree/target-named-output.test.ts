// An OutputField named as the target field (cPMML's R exports do this): JPMML's result holds one
// value per name, so the output replaces the target's classification and no probabilities remain;
// the probability OutputFields still report theirs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'c', dataType: 'string', inner: '<Value value="yes"/><Value value="no"/>' }];
const model = (outputName: string) => loadPmml(pmmlDoc(fields, `<TreeModel functionName="classification">${schema('c', ['x'])}
  <Output><OutputField name="${outputName}" feature="predictedValue"/>
    <OutputField name="pYes" optype="continuous" dataType="double" feature="probability" value="yes"/></Output>
  <Node><True/><ScoreDistribution value="yes" recordCount="3"/><ScoreDistribution value="no" recordCount="1"/></Node></TreeModel>`));

test('an OutputField named as the target leaves the prediction without probabilities', () => {
  const p = model('c').score({ x: 1 });
  assert.is(p.value, 'yes');
  assert.is(p.probabilities, undefined);
  assert.equal(p.outputs, { c: 'yes', pYes: 0.75 });
});

test('an OutputField of another name keeps the probabilities', () => {
  assert.equal(model('predicted').score({ x: 1 }).probabilities, { yes: 0.75, no: 0.25 });
});

test.run();
