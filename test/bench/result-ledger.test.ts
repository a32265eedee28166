// The scaling scenario's ledger: a count reached with duplicates is not every input, and the span
// runs from the first result to the one that completed the last input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ResultLedger } from '../../bench/peers/result-ledger.ts';

test('a replayed result is a duplicate, not an input: the distinct count stays short and the missing inputs are named', () => {
  const ledger = new ResultLedger();
  ledger.add(0, 0, 1000);
  ledger.add(0, 1, 1010);
  ledger.add(0, 1, 1020); // replay after a rebalance
  ledger.add(1, 0, 1030);
  assert.is(ledger.distinct, 3);
  const c = ledger.counts();
  assert.is(c.duplicates, 1);
  assert.equal(c.byPartition, { 0: 2, 1: 1 });
  assert.equal(ledger.problems({ 0: 2, 1: 2 }), ['partition 1: 1 of 2 inputs have no result']);
  assert.equal(ledger.problems({ 0: 2, 1: 1 }), []);
});

test('the span ends at the result that completed the last input, not at a later duplicate', () => {
  const ledger = new ResultLedger();
  ledger.add(0, 0, 2000);
  ledger.add(0, 1, 2500);
  ledger.add(0, 0, 9000);
  const c = ledger.counts();
  assert.is(c.firstAppend, 2000);
  assert.is(c.lastNewAppend, 2500);
});

test('results naming offsets or partitions with no input are reported', () => {
  const ledger = new ResultLedger();
  ledger.add(0, 0, 1);
  ledger.add(0, 5, 2);
  ledger.add(3, 0, 3);
  assert.equal(ledger.problems({ 0: 1 }), ['partition 0: 1 results name offsets past its 1 inputs', 'results name partition 3, which has no inputs']);
});

test.run();
