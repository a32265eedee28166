// OutputField segmentId (PMML 4.4 §OutputField): the feature is taken from that Segment's result,
// not the MiningModel's; missing when the segment was not selected (JPMML's ModelChainCompositionTest).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc, schema } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y' }];
const tree = (id: string, score: number) => `<TreeModel functionName="regression">${schema('y', ['x'])}
  <Node id="${id}-root" score="0"><True/><Node id="${id}-leaf" score="${score}"><True/></Node></Node></TreeModel>`;
const model = () => loadPmml(pmmlDoc(fields, `<MiningModel functionName="regression">${schema('y', ['x'])}
  <Output>
    <OutputField name="firstNode" feature="entityId" segmentId="1"/>
    <OutputField name="firstValue" optype="continuous" dataType="double" feature="predictedValue" segmentId="1"/>
    <OutputField name="winner" feature="entityId"/>
  </Output>
  <Segmentation multipleModelMethod="selectFirst">
    <Segment id="1"><SimplePredicate field="x" operator="lessThan" value="0"/>${tree('a', 10)}</Segment>
    <Segment id="2"><True/>${tree('b', 20)}</Segment>
  </Segmentation></MiningModel>`));

test("entityId and predictedValue with segmentId read that segment's result", () => {
  const p = model().score({ x: -1 });
  assert.equal(p.outputs, { firstNode: 'a-leaf', firstValue: 10, winner: '1' });
});

test('a segment that was not selected gives a missing segmentId field', () => {
  const p = model().score({ x: 1 });
  assert.is(p.value, 20);
  assert.equal(p.outputs, { firstNode: null, firstValue: null, winner: '2' });
});

test.run();
