// The stateful DSL through our test driver: what the oracle cannot see (topic names, store
// options, serdes, metrics, errors).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, StreamsBuilder, Suppressed, TimeWindows, TopologyError, WindowedSerdes } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';

const S = Serdes.String();
const L = Serdes.Int64();

test('groupBy writes through <applicationId>-<name>-repartition', async () => {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupBy((_k, v) => v, { name: 'by-value', keySerde: S }).count({ storeName: 'c' });
  const driver = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  await driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
  assert.ok(driver.producedTopicNames().includes('app-by-value-repartition'), driver.producedTopicNames().join(', '));
  assert.is(driver.getKeyValueStore<string, number>('c').get('v'), 1);
  await driver.close();
});

test('a materialized count reads as plain values, and its changelog carries timestamps with them', async () => {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupByKey().count({ storeName: 'counts' });
  const driver = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  const input = driver.createInputTopic('in', S, S);
  await input.pipeInput('a', 'x', 5);
  await input.pipeInput('a', 'y', 9);
  assert.equal([...driver.getKeyValueStore<string, number>('counts').all()], [{ key: 'a', value: 2 }]);
  const changelog = driver.createOutputTopic('app-counts-changelog', S).readRecordsToList();
  assert.is(changelog.length, 2);
  const last = changelog[1]!.value as Uint8Array;
  assert.is(Number(new DataView(last.buffer, last.byteOffset).getBigInt64(0)), 9, 'the value is stamped with its newest record time');
  assert.is(L.deserialize(last.subarray(8)), 2);
  await driver.close();
});

test('logging: false leaves a store without a changelog', async () => {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupByKey().count({ storeName: 'counts', storeType: 'in-memory', logging: false });
  const driver = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  await driver.createInputTopic('in', S, S).pipeInput('a', 'x', 5);
  assert.equal(driver.producedTopicNames(), []);
  assert.is(driver.getKeyValueStore<string, number>('counts').get('a'), 1);
  await driver.close();
});

test('late records past the grace are counted in droppedRecords', async () => {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count({ storeName: 'w' });
  const driver = new TopologyTestDriver(b.build());
  const input = driver.createInputTopic('in', S, S);
  await input.pipeInput('a', 'x', 25);
  await input.pipeInput('a', 'x', 3);
  await input.pipeInput('a', 'x', 4);
  assert.is(driver.metrics().droppedRecords, 2);
  assert.equal(driver.metrics().droppedRecordsByReason, { late: 2 });
  assert.equal(driver.getWindowStore<string, number>('w').fetchRange('a', 0, 100), [{ windowStart: 20, value: 1, timestamp: 25 }]);
  await driver.close();
});

test('windowed key serdes use Kafka Streams\' layouts: key, start / key, end, start', () => {
  const time = WindowedSerdes.timeWindowed(S, 10).serialize({ key: 'a', window: { start: 20, end: 30 } });
  assert.equal([...time], [0x61, 0, 0, 0, 0, 0, 0, 0, 20]);
  assert.equal(WindowedSerdes.timeWindowed(S, 10).deserialize(time), { key: 'a', window: { start: 20, end: 30 } });
  const session = WindowedSerdes.sessionWindowed(S).serialize({ key: 'a', window: { start: 1, end: 4 } });
  assert.equal([...session], [0x61, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(WindowedSerdes.sessionWindowed(S).deserialize(session), { key: 'a', window: { start: 1, end: 4 } });
});

test('a grouping after a key change without a key serde fails at build time, naming the option', () => {
  const b = new StreamsBuilder();
  const grouped = b.stream<string, string>('in', { keySerde: S, valueSerde: S }).selectKey((_k, v) => v.length).groupByKey();
  assert.throws(() => grouped.count(), (err: Error) => err instanceof TopologyError && /keySerde/.test(err.message));
});

test('suppress(untilWindowCloses) refuses a table that is not windowed', () => {
  const b = new StreamsBuilder();
  const table = b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupByKey().count();
  assert.throws(() => table.suppress(Suppressed.untilWindowCloses()), (err: Error) => err instanceof TopologyError);
});

test('the suppression buffer is change-logged: a held update is written, an emitted one deleted', async () => {
  const b = new StreamsBuilder();
  b.stream<string, string>('in', { keySerde: S, valueSerde: S }).groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count({ storeName: 'w', logging: false })
    .suppress(Suppressed.untilWindowCloses(), { name: 'final' })
    .toStream().map((w, n) => ({ key: w.key, value: n })).to('out', { keySerde: S, valueSerde: L });
  const driver = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  const input = driver.createInputTopic('in', S, S);
  const changelog = driver.createOutputTopic('app-final-STATE-STORE-changelog');
  await input.pipeInput('a', 'x', 1);
  const held = changelog.readRecordsToList();
  assert.is(held.length, 1);
  assert.ok(held[0]!.value !== null, 'the held count is in the changelog');
  await input.pipeInput('b', 'x', 10);
  assert.equal(driver.createOutputTopic('out', S, L).readKeyValuesToList(), [{ key: 'a', value: 1 }]);
  const values = changelog.readRecordsToList().map((r) => r.value);
  assert.ok(values.includes(null), 'the emitted entry is deleted from the changelog');
  await driver.close();
});

test.run();
