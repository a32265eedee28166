// The pure parts of several models per dataType: the split by key, and how messages and commands
// change a dataType's slot (rollback, retire, history).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerers, pickAnswering, withCommand, withFailure, withModel } from '../../../topologies/serving/roles.ts';
import { decodeModelSlot, encodeModelSlot, type ModelSlot, type ServingModel } from '../../../topologies/serving/model-slot.ts';

const model = (name: string, since: number, weight?: number): ServingModel => ({
  id: `${name}@${since}`, name, description: '', modelType: 1, since, ...(weight !== undefined && { weight }), descriptor: new Uint8Array([since % 256]),
});

test('a 90/10 split over 10,000 keys gives each model its weight within 1.5 points', () => {
  const slot = withModel(withModel({}, model('a', 1, 9), 'champion', 5), model('b', 2, 1), 'split', 5);
  const split = answerers('wine', slot)!;
  let b = 0;
  for (let i = 0; i < 10_000; i++) if (pickAnswering(split, `key-${i}`).model.name === 'b') b++;
  assert.ok(Math.abs(b / 10_000 - 0.1) < 0.015, `b answered ${b} of 10000`);
});

test('the split is the same for a key whatever the order its models arrived in', () => {
  const one = answerers('wine', withModel(withModel(withModel({}, model('a', 1), 'champion', 5), model('b', 2), 'split', 5), model('c', 3), 'split', 5))!;
  const two = answerers('wine', withModel(withModel(withModel({}, model('a', 1), 'champion', 5), model('c', 3), 'split', 5), model('b', 2), 'split', 5))!;
  for (let i = 0; i < 1000; i++) assert.is(pickAnswering(one, `k${i}`).model.name, pickAnswering(two, `k${i}`).model.name);
});

test('a new champion pushes the previous one into the history; rollback brings it back and marks the other rolled back', () => {
  let slot: ModelSlot = withModel({}, model('v1', 10), 'champion', 5);
  slot = withModel(slot, model('v2', 20), 'champion', 5);
  assert.equal(slot.history?.map((h) => [h.name, h.since, h.until, h.end]), [['v1', 10, 20, 'replaced']]);
  const result = withCommand(slot, { command: 'rollback', dataType: 'wine', name: '' }, 30, 5);
  assert.is(result.kind, 'applied');
  if (result.kind !== 'applied') return;
  assert.equal([result.slot.current?.name, result.slot.current?.id, result.slot.current?.since], ['v1', 'v1@10', 30]);
  assert.equal(result.slot.history?.map((h) => [h.name, h.end]), [['v2', 'rolled-back']]);
  assert.is(withCommand(result.slot, { command: 'rollback', dataType: 'wine', name: '' }, 40, 5).kind, 'refused', 'nothing left to roll back to');
});

test('a champion that failed to load is in the history with its error, and is no rollback target', () => {
  let slot: ModelSlot = withModel({}, model('v1', 10), 'champion', 5);
  slot = withFailure(slot, { name: 'ModelLoadError', message: 'bad', at: 15 }, model('broken', 15), 5);
  assert.equal(slot.history?.map((h) => [h.name, h.end, h.loadError?.message]), [['broken', 'failed', 'bad']]);
  assert.is(slot.current?.name, 'v1');
  assert.is(withCommand(slot, { command: 'rollback', dataType: 'wine', name: '' }, 20, 5).kind, 'refused');
});

test('the history keeps the last N versions', () => {
  let slot: ModelSlot = {};
  for (let v = 1; v <= 8; v++) slot = withModel(slot, model(`v${v}`, v), 'champion', 3);
  assert.equal(slot.history?.map((h) => h.name), ['v7', 'v6', 'v5']);
});

test('a slot with split, shadows and history survives the store encoding, descriptors included', () => {
  let slot: ModelSlot = withModel({}, model('v1', 1), 'champion', 5);
  slot = withModel(slot, model('v2', 2), 'champion', 5);
  slot = withModel(slot, model('s', 3), 'shadow', 5);
  slot = withModel(slot, model('p', 4, 0.25), 'split', 5);
  slot = withFailure(slot, { name: 'E', message: 'm', at: 5 }, model('x', 5), 5);
  const back = decodeModelSlot(encodeModelSlot(slot));
  assert.equal([back.current?.name, back.shadows?.map((m) => m.name), back.split?.map((m) => [m.name, m.weight]), back.history?.map((h) => h.name)], ['v2', ['s'], [['p', 0.25]], ['x', 'v1']]);
  assert.is(back.lastError?.message, 'm');
  assert.equal([...back.current!.descriptor], [2]);
  assert.equal([...back.shadows![0]!.descriptor], [3]);
  assert.equal([...back.split![0]!.descriptor], [4]);
  assert.equal(back.history!.map((h) => (h.descriptor ? [...h.descriptor] : null)), [null, [1]]);
});

test('retire removes a shadow or split model by name and refuses an unknown one', () => {
  const slot = withModel(withModel({}, model('a', 1), 'champion', 5), model('s', 2), 'shadow', 5);
  const done = withCommand(slot, { command: 'retire', dataType: 'wine', name: 's' }, 3, 5);
  assert.ok(done.kind === 'applied' && done.slot.shadows === undefined);
  assert.is(withCommand(slot, { command: 'retire', dataType: 'wine', name: 'nope' }, 3, 5).kind, 'refused');
});

test.run();
