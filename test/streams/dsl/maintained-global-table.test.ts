// StreamsBuilder.globalTableMaintained, our extension: a global table whose values a fold or a
// processor keeps, joined like any GlobalKTable; through the test driver.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, StreamsBuilder, type KeyValueStore } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';

const S = Serdes.String();

/** Each key's values so far, joined by a comma; a tombstone forgets the key. */
function historyTopology(logging: boolean) {
  const b = new StreamsBuilder();
  const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('history'), S, S);
  if (logging) store.withLoggingEnabled();
  const history = b.globalTableMaintained<string, string, string | null>('prices', {
    keySerde: S, valueSerde: S, store,
    maintain: { kind: 'fold', fold: (current, r) => (r.value === null ? undefined : current === undefined ? r.value : `${current},${r.value}`) },
  });
  b.stream<string, string>('orders', { keySerde: S, valueSerde: S })
    .leftJoin(history, (_k, item) => item, (order, prices) => `${order}:${prices ?? 'none'}`)
    .to('out', { keySerde: S, valueSerde: S });
  return b.build();
}

test('a folded global table holds every record of a key folded, and a joined stream reads the fold, not the last record', async () => {
  const driver = new TopologyTestDriver(historyTopology(false));
  const prices = driver.createInputTopic('prices', S, S);
  const orders = driver.createInputTopic('orders', S, S);
  await prices.pipeInput('apple', '3', 1);
  await prices.pipeInput('apple', '4', 2);
  await prices.pipeInput('pear', '7', 3);
  await orders.pipeInput('o1', 'apple', 4);
  await orders.pipeInput('o2', 'pear', 5);
  await orders.pipeInput('o3', 'plum', 6);
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList(), [
    { key: 'o1', value: 'apple:3,4' },
    { key: 'o2', value: 'pear:7' },
    { key: 'o3', value: 'plum:none' },
  ]);
  assert.equal([...driver.getKeyValueStore<string, string>('history').all()], [{ key: 'apple', value: '3,4' }, { key: 'pear', value: '7' }]);
  await driver.close();
});

test('a fold that answers undefined deletes the key, and null-keyed records are not folded', async () => {
  const driver = new TopologyTestDriver(historyTopology(false));
  const prices = driver.createInputTopic('prices', S, S);
  await prices.pipeInput('apple', '3', 1);
  await prices.pipeInput('pear', '7', 2);
  await prices.pipeInput('apple', null, 3);
  await prices.pipeInput(null, '9', 4);
  await driver.createInputTopic('orders', S, S).pipeInput('o1', 'apple', 5);
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList().map((kv) => kv.value), ['apple:none']);
  assert.equal([...driver.getKeyValueStore<string, string>('history').all()], [{ key: 'pear', value: '7' }]);
  await driver.close();
});

test('the table logs nothing even when its store was built with logging: the topic is its log', async () => {
  const driver = new TopologyTestDriver(historyTopology(true), { applicationId: 'app' });
  await driver.createInputTopic('prices', S, S).pipeInput('apple', '3', 1);
  await driver.createInputTopic('orders', S, S).pipeInput('o1', 'apple', 2);
  assert.equal(driver.producedTopicNames(), ['out']);
  await driver.close();
});

test('a processor maintainer may write several keys per record, and the join reads what it wrote', async () => {
  const b = new StreamsBuilder();
  // Each "name=a b c" record indexes the name under each of its words.
  const index = b.globalTableMaintained<string, string, string>('docs', {
    keySerde: S, valueSerde: S,
    store: Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('words'), S, S),
    maintain: {
      kind: 'processor',
      processor: () => {
        let words: KeyValueStore<string, string>;
        return {
          init: (ctx) => { words = ctx.getStateStore('words'); },
          process: (r) => { for (const word of r.value.split(' ')) words.put(word, r.key as string); },
        };
      },
    },
  });
  b.stream<string, string>('queries', { keySerde: S, valueSerde: S })
    .join(index, (_k, word) => word, (word, doc) => `${word}@${doc}`)
    .to('out', { keySerde: S, valueSerde: S });
  const driver = new TopologyTestDriver(b.build());
  await driver.createInputTopic('docs', S, S).pipeInput('d1', 'red wine', 1);
  const queries = driver.createInputTopic('queries', S, S);
  await queries.pipeInput('q1', 'wine', 2);
  await queries.pipeInput('q2', 'beer', 3);
  await queries.pipeInput('q3', 'red', 4);
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList().map((kv) => kv.value), ['wine@d1', 'red@d1']);
  await driver.close();
});

test('describe() shows the table as a global store read from its topic', () => {
  const text = historyTopology(false).describe();
  assert.match(text, /Global store: history\n\s+Source: history-global-source \(topics: \[prices\]\)/);
});

test.run();
