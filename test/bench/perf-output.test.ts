// The readers behind the table rows of bench/broker-perf.ts (Kafka's ProducerPerformance and
// ConsumerPerformance summaries) and bench/stream-threads.ts (bench/threads.ts's JSON).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PerfOutputError, consumerPerSecond, producerPerSecond, threadsFigures } from '../../bench/kafka-perf-output.ts';
import { evaluate } from '../../bench/table.ts';

test('ProducerPerformance: records/s from its summary line, the last one', () => {
  const out = '49981 records sent, 9996.2 records/sec (0.95 MB/sec), 3.1 ms avg latency, 200.0 ms max latency.\n'
    + '200000 records sent, 123456.8 records/sec (11.77 MB/sec), 12.34 ms avg latency, 345.00 ms max latency, 5 ms 50th, 20 ms 95th, 30 ms 99th, 40 ms 99.9th.\n';
  assert.is(producerPerSecond(out), 123456.8);
  assert.throws(() => producerPerSecond('Exception in thread "main"'), (e: unknown) => e instanceof PerfOutputError);
});

test('ConsumerPerformance: the nMsg.sec column of the line after its header', () => {
  const out = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n'
    + '2026-12-01 16:00:00:000, 2026-12-01 16:00:02:000, 19.0735, 9.5367, 200000, 100000.0000, 300, 1700, 11.2197, 117647.0588\n';
  assert.is(consumerPerSecond(out), 100000);
  assert.throws(() => consumerPerSecond('WARN no records\n'), (e: unknown) => e instanceof PerfOutputError);
});

const threadsJson = JSON.stringify({
  records: 40000, broker: 'given', partitions: 4, cpus: 2,
  rows: [
    { name: 'modelstream 1 thread', threads: 1, perSecond: 10000, cpuUsPerRecord: 60, loadBefore: [1, 1, 1], loadAfter: [1, 1, 1] },
    { name: 'modelstream 2 threads', threads: 2, perSecond: 16500, cpuUsPerRecord: 70, loadBefore: [1.5, 1, 1], loadAfter: [2, 1, 1], machineBusy: 0.97 },
    { name: 'kafka-streams 1 thread', threads: 1, perSecond: 12000, cpuUsPerRecord: 90, loadBefore: [1, 1, 1], loadAfter: [1, 1, 1] },
  ],
});

test('threads JSON: one thread against the best Java run, two threads against one, held to 1.7×', () => {
  const rows = threadsFigures(threadsJson, 2).map(evaluate);
  assert.equal(rows.map((r) => r.name), ['kv, 1 thread vs best Java', 'kv, 2 threads vs 1']);
  assert.is(rows[0]!.peer?.value, 12000);
  assert.is(rows[0]!.verdict, 'missed');
  assert.is(rows[1]!.ratio, 1.65);
  assert.is(rows[1]!.verdict, 'missed');
  assert.match(rows[1]!.note!, /machine 97% busy; 2 cores shared/);
});

test('threads JSON without a Java run: our one-thread figure stands alone, without a target', () => {
  const json = JSON.parse(threadsJson) as { rows: { name: string }[] };
  json.rows = json.rows.filter((r) => !r.name.startsWith('kafka-streams'));
  const [one] = threadsFigures(JSON.stringify(json), 2);
  assert.is(one!.name, 'kv, 1 thread');
  assert.is(evaluate(one!).verdict, 'no target');
});

test.run();
