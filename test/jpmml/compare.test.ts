// The conformance comparison itself: what counts as equal to JPMML's result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareOutcome, numbersClose, valuesEqual } from './compare.ts';

test('numbers within 1e-9 relative are equal, beyond are not', () => {
  assert.ok(numbersClose(5.178126058334128, 5.178126058334128 * (1 + 5e-10)));
  assert.not.ok(numbersClose(5.178126058334128, 5.178126058334128 * (1 + 5e-9)));
});

test('near zero an absolute 1e-12 applies', () => {
  assert.ok(numbersClose(0, 1e-13));
  assert.ok(numbersClose(-0, 0));
  assert.not.ok(numbersClose(0, 1e-11));
});

test('NaN equals only NaN, infinities only themselves', () => {
  assert.ok(numbersClose(NaN, NaN));
  assert.not.ok(numbersClose(NaN, 1));
  assert.ok(numbersClose(Infinity, Infinity));
  assert.not.ok(numbersClose(Infinity, -Infinity));
});

test('a numeric label equals JPMML\'s string or number label', () => {
  assert.ok(valuesEqual(6, '6'));
  assert.ok(valuesEqual(6, 6));
  assert.ok(valuesEqual(6, '6.0'));
  assert.not.ok(valuesEqual(6, '5'));
  assert.not.ok(valuesEqual('A', 'a'));
  assert.not.ok(valuesEqual(null, 0));
  assert.ok(valuesEqual(undefined, null));
});

test('a rejected record must be rejected on both sides', () => {
  assert.is(compareOutcome({ kind: 'error', message: 'x' }, { kind: 'error', message: 'y' }), undefined);
  assert.ok(compareOutcome({ kind: 'scored', value: 1 }, { kind: 'error', message: 'y' }));
  assert.ok(compareOutcome({ kind: 'error', message: 'x' }, { kind: 'scored', value: 1, outputs: {} }));
  assert.ok(compareOutcome({ kind: 'crash', message: 'TypeError' }, { kind: 'error', message: 'y' }));
});

test('probabilities compare per label, a missing label counting as 0', () => {
  const theirs = { kind: 'scored' as const, value: '5', probabilities: { '5': 0.75, '6': 0.25, '8': 0 }, outputs: {} };
  assert.is(compareOutcome({ kind: 'scored', value: 5, probabilities: { 5: 0.75, 6: 0.25 } }, theirs), undefined);
  assert.match(compareOutcome({ kind: 'scored', value: 5, probabilities: { 5: 0.7, 6: 0.3 } }, theirs) ?? '', 'probability(5)');
  assert.match(compareOutcome({ kind: 'scored', value: 5 }, theirs) ?? '', 'ours none');
});

test('a JPMML list (selectAll) matches our segments element-wise, in order', () => {
  const theirs = { kind: 'scored' as const, value: [-1.1, null, 'A'], outputs: {} };
  const segments = [{ value: -1.1 * (1 + 1e-12) }, { value: null }, { value: 'A' }];
  assert.is(compareOutcome({ kind: 'scored', value: null, segments }, theirs), undefined);
  assert.match(compareOutcome({ kind: 'scored', value: null, segments: [segments[0]!, segments[2]!, segments[1]!] }, theirs) ?? '', 'segment 1');
  assert.match(compareOutcome({ kind: 'scored', value: null, segments: segments.slice(0, 2) }, theirs) ?? '', 'segments ours=');
});

test('a JPMML list needs our segments, and our value null beside them', () => {
  const theirs = { kind: 'scored' as const, value: [1, 2], outputs: {} };
  assert.match(compareOutcome({ kind: 'scored', value: 1 }, theirs) ?? '', 'no segments');
  assert.match(compareOutcome({ kind: 'scored', value: 1, segments: [{ value: 1 }, { value: 2 }] }, theirs) ?? '', 'must be null');
});

test('our segments against a single JPMML value (or none) differ', () => {
  const segments = [{ value: 1 }];
  assert.match(compareOutcome({ kind: 'scored', value: null, segments }, { kind: 'scored', value: 1, outputs: {} }) ?? '', 'ours has segments');
  assert.match(compareOutcome({ kind: 'scored', value: null, segments }, { kind: 'scored', value: null, outputs: {} }) ?? '', 'ours has segments');
  assert.is(compareOutcome({ kind: 'scored', value: null }, { kind: 'scored', value: null, outputs: {} }), undefined);
});

test.run();
