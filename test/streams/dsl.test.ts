import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, StreamsBuilder, Record, type KeyValueStore, type ProcessorContext } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';

const S = Serdes.String();
const I = Serdes.Int32();

async function run(build: (b: StreamsBuilder) => void, input: [string, string][]) {
  const b = new StreamsBuilder();
  build(b);
  const driver = new TopologyTestDriver(b.build());
  const topic = driver.createInputTopic('in', S, S);
  for (const [k, v] of input) await topic.pipeInput(k, v, 1000);
  return { driver, out: driver.createOutputTopic('out', S, S) };
}

test('mapValues transforms values and keeps keys and timestamps', async () => {
  const { driver, out } = await run((b) => b.stream('in', { keySerde: S, valueSerde: S }).mapValues((v) => v.toUpperCase()).to('out', { keySerde: S, valueSerde: S }), [['k', 'abc']]);
  const r = out.readRecord();
  assert.equal([r.key, r.value, r.timestamp], ['k', 'ABC', 1000]);
  await driver.close();
});

test('map changes both key and value', async () => {
  const { driver, out } = await run((b) => b.stream('in', { keySerde: S, valueSerde: S }).map((k, v) => ({ key: v, value: k })).to('out', { keySerde: S, valueSerde: S }), [['k', 'v']]);
  assert.equal(out.readKeyValue(), { key: 'v', value: 'k' });
  await driver.close();
});

test('filter and filterNot keep and drop records by predicate', async () => {
  const b = new StreamsBuilder();
  const s = b.stream('in', { keySerde: S, valueSerde: S });
  s.filter((_k, v) => v.startsWith('a')).to('out', { keySerde: S, valueSerde: S });
  s.filterNot((_k, v) => v.startsWith('a')).to('rest', { keySerde: S, valueSerde: S });
  const driver = new TopologyTestDriver(b.build());
  await driver.createInputTopic('in', S, S).pipeKeyValueList([{ key: '1', value: 'apple' }, { key: '2', value: 'pear' }, { key: '3', value: 'apricot' }]);
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList().map((kv) => kv.value), ['apple', 'apricot']);
  assert.equal(driver.createOutputTopic('rest', S, S).readKeyValuesToList().map((kv) => kv.value), ['pear']);
  await driver.close();
});

test('flatMapValues emits one record per produced value, in order', async () => {
  const { driver, out } = await run((b) => b.stream('in', { keySerde: S, valueSerde: S }).flatMapValues((v) => v.split(' ')).to('out', { keySerde: S, valueSerde: S }), [['k', 'a b c']]);
  assert.equal(out.readKeyValuesToList(), [{ key: 'k', value: 'a' }, { key: 'k', value: 'b' }, { key: 'k', value: 'c' }]);
  await driver.close();
});

test('peek sees every record and forwards it unchanged', async () => {
  const seen: string[] = [];
  const { driver, out } = await run((b) => b.stream('in', { keySerde: S, valueSerde: S }).peek((k, v) => seen.push(`${k}=${v}`)).to('out', { keySerde: S, valueSerde: S }), [['a', '1'], ['b', '2']]);
  assert.equal(seen, ['a=1', 'b=2']);
  assert.is(out.getQueueSize(), 2);
  await driver.close();
});

test('process runs a Processor API processor inside the DSL and forwards its output', async () => {
  const b = new StreamsBuilder();
  b.stream('in', { keySerde: S, valueSerde: S })
    .process<string, number>(() => {
      let ctx: ProcessorContext<string, number>;
      return { init: (c) => { ctx = c; }, process: (r) => ctx.forward(new Record(r.key, r.value.length, r.timestamp)) };
    })
    .to('out', { keySerde: S, valueSerde: I });
  const driver = new TopologyTestDriver(b.build());
  await driver.createInputTopic('in', S, S).pipeInput('k', 'hello');
  assert.equal(driver.createOutputTopic('out', S, I).readKeyValue(), { key: 'k', value: 5 });
  await driver.close();
});

test('process with a Named first names its node and still connects the stores named after it', async () => {
  const b = new StreamsBuilder();
  b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), S, I).withLoggingDisabled());
  b.stream<string, string>('in', { keySerde: S, valueSerde: S })
    .process<string, string>(() => {
      let seen: KeyValueStore<string, number>;
      return { init: (c) => { seen = c.getStateStore('seen'); }, process: (r) => seen.put(r.key, (seen.get(r.key) ?? 0) + 1) };
    }, { name: 'counter' }, 'seen');
  const topology = b.build();
  assert.match(topology.describe(), /Processor: counter \(stores: \[seen\]\)/);
  const driver = new TopologyTestDriver(topology);
  const input = driver.createInputTopic('in', S, S);
  await input.pipeInput('k', 'a');
  await input.pipeInput('k', 'b');
  assert.is(driver.getKeyValueStore<string, number>('seen').get('k'), 2);
  await driver.close();
});

test('DSL nodes get Kafka Streams-style generated names unless named', () => {
  const b = new StreamsBuilder();
  b.stream('in').mapValues((v) => v, { name: 'upper' }).to('out');
  const text = b.build().describe();
  assert.match(text, /Source: KSTREAM-SOURCE-0000000000/);
  assert.match(text, /Processor: upper/);
  assert.match(text, /Sink: KSTREAM-SINK-0000000001/);
});

test.run();
