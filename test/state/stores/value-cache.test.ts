import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValueCache } from '../../../lib/state/stores/value-cache.ts';

const b = (...v: number[]) => new Uint8Array(v);

test('the least recently used entry is evicted first, and a hit makes an entry young again', () => {
  const cache = new ValueCache(2);
  cache.set(b(1), b(10));
  cache.set(b(2), b(20));
  assert.equal(cache.get(b(1)), b(10)); // 1 is now younger than 2
  cache.set(b(3), b(30));
  assert.is(cache.get(b(2)), undefined);
  assert.equal(cache.get(b(1)), b(10));
  assert.equal(cache.get(b(3)), b(30));
  assert.is(cache.size, 2);
});

test('keys are compared by content, including views into larger buffers', () => {
  const cache = new ValueCache(4);
  const backing = b(9, 0x80, 0xff, 9);
  cache.set(backing.subarray(1, 3), b(1));
  assert.equal(cache.get(b(0x80, 0xff)), b(1));
  assert.is(cache.get(b(0x80)), undefined);
});

test('delete removes an entry and a zero capacity caches nothing', () => {
  const cache = new ValueCache(1);
  cache.set(b(1), b(1));
  cache.delete(b(1));
  assert.is(cache.get(b(1)), undefined);
  const none = new ValueCache(0);
  none.set(b(1), b(1));
  assert.is(none.size, 0);
});

test.run();
