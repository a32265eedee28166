import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeModelSlot, encodeModelSlot, type ModelSlot } from '../../../topologies/serving/model-slot.ts';
import { emptyTaskStats, mergeStats, recordScoring, startServing } from '../../../topologies/serving/stats.ts';

const current = { id: 'abc@0:1', name: 'tree', description: 'a tree', modelType: 1, since: 1000, descriptor: new Uint8Array([1, 2, 3]) };

test('a model slot keeps every field and the descriptor bytes through its encoding', () => {
  const slot: ModelSlot = { current, lastError: { name: 'ModelLoadError', message: 'nope', at: 5 } };
  const back = decodeModelSlot(encodeModelSlot(slot));
  assert.equal({ ...back.current, descriptor: [...back.current!.descriptor] }, { ...current, descriptor: [1, 2, 3] });
  assert.equal(back.lastError, slot.lastError);
});

test('the first scoring sets min; later ones keep the smallest and the largest', () => {
  let s = startServing(emptyTaskStats('wine'), current);
  for (const ms of [0.5, 0.2, 0.9]) s = recordScoring(s, ms);
  assert.is(s.min, 0.2);
  assert.is(s.max, 0.9);
  assert.is(s.invocations, 3);
  assert.ok(Math.abs(s.duration - 1.6) < 1e-12);
});

test('tasks merge into one instance view; a task still on an older model adds only its skips', () => {
  const onCurrent = (times: number[]) => times.reduce((s, ms) => recordScoring(s, ms), startServing(emptyTaskStats('wine'), current));
  const older = { ...recordScoring(startServing(emptyTaskStats('wine'), { ...current, id: 'old@0:0', name: 'old' }), 0.01), skipped: 4 };
  const merged = mergeStats('wine', { current }, [onCurrent([0.3, 0.6]), onCurrent([0.1]), older])!;
  assert.equal(
    { name: merged.name, description: merged.description, modelType: merged.modelType, since: merged.since, invocations: merged.invocations, min: merged.min, max: merged.max, skipped: merged.skipped },
    { name: 'tree', description: 'a tree', modelType: 'PMML', since: 1000, invocations: 3, min: 0.1, max: 0.6, skipped: 4 },
  );
});

test('a dataType with a load error but no model shows None with the error', () => {
  const merged = mergeStats('wine', { lastError: { name: 'ModelLoadError', message: 'bad', at: 1 } }, [])!;
  assert.is(merged.name, 'None');
  assert.is(merged.modelType, 'NONE');
  assert.is(merged.lastError?.message, 'bad');
});

test.run();
