// The latency histogram kept in the task statistics: percentiles within a bucket's width of the
// exact ones, merging equal to recording everything in one, and small as JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addLatency, mergeLatency, quantile, type LatencyHistogram } from '../../../topologies/serving/latency-histogram.ts';

/** A deterministic spread of per-record times from 2 µs to ~50 ms, log-uniform. */
const times = Array.from({ length: 5000 }, (_, i) => 0.002 * 25_000 ** (((i * 7919) % 5000) / 5000));

const exact = (q: number) => [...times].sort((a, b) => a - b)[Math.ceil(q * times.length) - 1]!;
const record = (ts: readonly number[]) => ts.reduce<LatencyHistogram | undefined>((h, t) => addLatency(h, 1, t), undefined);

test('p50 and p99 are within 10% of the exact percentiles', () => {
  const h = record(times);
  for (const q of [0.5, 0.99]) {
    const got = quantile(h, q)!, want = exact(q);
    assert.ok(Math.abs(got - want) / want < 0.1, `q${q}: ${got} vs ${want}`);
  }
});

test('merging two tasks\' histograms equals recording both in one', () => {
  const a = record(times.slice(0, 2000)), b = record(times.slice(2000));
  assert.equal(mergeLatency(a, b), record(times));
});

test('a whole day of batches stays a few hundred bytes of JSON', () => {
  let h: LatencyHistogram | undefined;
  for (let i = 0; i < 100_000; i++) h = addLatency(h, 1 + (i % 1000), 0.001 + (i % 97) * 0.0005);
  assert.ok(JSON.stringify(h).length < 400, JSON.stringify(h));
});

test('an empty histogram has no percentiles, and a percentile stays within the observed min and max', () => {
  assert.is(quantile(undefined, 0.5), null);
  assert.is(quantile(addLatency(undefined, 3, 0.01), 0.99, { min: 0.01, max: 0.01 }), 0.01);
});

test.run();
