import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record } from '../../lib/index.ts';

test('withValue returns a copy and leaves the original unchanged', () => {
  const a = new Record('k', 1, 10);
  const b = a.withValue('one');
  assert.is(a.value, 1);
  assert.is(b.value, 'one');
  assert.is(b.key, 'k');
  assert.is(b.timestamp, 10);
});

test('a negative timestamp is rejected', () => {
  assert.throws(() => new Record('k', 1, -1), /timestamp/);
});

test.run();
