// A MiningModel with two targets and an OutputField naming no targetField: with a segment's result
// the field reads it; with none selected JPMML cannot tell which target is meant and fails the
// record ("Expected 1 target field, got 2 target fields", its MultiTargetTest); ours fails it too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError, loadPmml } from '../../../../lib/models/index.ts';
import { pmmlDoc } from '../snippets.ts';

const fields = [{ name: 'x' }, { name: 'y1' }, { name: 'y2' }];
const leaf = (target: string, score: number) => `<TreeModel functionName="regression"><MiningSchema><MiningField name="${target}" usageType="target"/></MiningSchema>
  <Node score="${score}"><True/></Node></TreeModel>`;
const model = () => loadPmml(pmmlDoc(fields, `<MiningModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y1" usageType="target"/><MiningField name="y2" usageType="target"/></MiningSchema>
  <Output><OutputField name="out" optype="continuous" dataType="double" feature="predictedValue"/></Output>
  <Segmentation multipleModelMethod="modelChain">
    <Segment><SimplePredicate field="x" operator="lessThan" value="0"/>${leaf('y1', 1)}</Segment>
    <Segment><SimplePredicate field="x" operator="greaterOrEqual" value="0"/>${leaf('y2', 2)}</Segment>
  </Segmentation></MiningModel>`));

test("two targets: the output reads the selected segment's result", () => {
  assert.is(model().score({ x: 1 }).outputs?.['out'], 2);
});

test('two targets and no segment selected: an output naming no targetField fails the record', () => {
  assert.throws(() => model().score({}), (e: unknown) => e instanceof RecordError && /targets/.test((e as Error).message));
});

test.run();
