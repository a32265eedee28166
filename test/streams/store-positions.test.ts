import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorePositions, decodePositionHeader, encodePositionHeader } from '../../lib/streams/internal/positions.ts';

const at = (entries: [string, number][]) => new Map(entries);

test('inputs are skipped outright only below the lowest position of the stores', () => {
  const p = new StorePositions();
  p.restored('a', at([['in:0', 10], ['in:1', 4]]));
  p.restored('b', at([['in:0', 7], ['in:1', 6]]));
  assert.equal(Object.fromEntries(p.skipBelow(['a', 'b'])), { 'in:0': 7, 'in:1': 4 });
});

test('a store without a position for a partition holds none of its inputs: nothing of it is skipped', () => {
  const p = new StorePositions();
  p.restored('a', at([['in:0', 10]]));
  assert.equal(Object.fromEntries(p.skipBelow(['a', 'b'])), { 'in:0': 0 });
});

test('a store holds exactly the inputs below its own position', () => {
  const p = new StorePositions();
  p.restored('a', at([['in:0', 10]]));
  assert.ok(p.holds('a', 'in:0', 9));
  assert.not.ok(p.holds('a', 'in:0', 10));
  assert.not.ok(p.holds('a', 'in:1', 0), 'another partition');
  assert.not.ok(p.holds('b', 'in:0', 0), 'another store');
});

test('a restored position only grows, and what a store reflects merges in what the task processed', () => {
  const p = new StorePositions();
  p.restored('a', at([['in:0', 10]]));
  p.restored('a', at([['in:0', 8], ['in:1', 2]]));
  assert.equal(Object.fromEntries(p.of('a', at([['in:0', 5], ['in:1', 3]]))), { 'in:0': 10, 'in:1': 3 });
});

test('the position header round-trips, and a malformed one reads as absent', () => {
  const header = encodePositionHeader(at([['in:0', 3]]));
  assert.equal(Object.fromEntries(decodePositionHeader([header])!), { 'in:0': 3 });
  assert.is(decodePositionHeader([{ key: header.key, value: Buffer.from('{oops') }]), undefined);
  assert.is(decodePositionHeader([]), undefined);
});

test.run();
