// The README's example: word count in the Processor API and in the DSL, tested with the driver,
// with each built-in store and with a user-written one (topologies/store/file-store.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Stores, StreamsBuilder, Topology, type KeyValueBytesStoreSupplier, type KeyValueStore, type ProcessorContext } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { fileStore } from '../../topologies/store/file-store.ts';

const S = Serdes.String();
const I = Serdes.Int32();

/** Counts each word it receives (as the key) in the store "counts" and forwards the new count. */
function wordCounter() {
  let ctx: ProcessorContext<string, number>;
  let counts: KeyValueStore<string, number>;
  return {
    init(context: ProcessorContext<string, number>) {
      ctx = context;
      counts = context.getStateStore('counts');
    },
    process(record: Record<string, string>) {
      const n = (counts.get(record.key) ?? 0) + 1;
      counts.put(record.key, n);
      ctx.forward(record.withValue(n));
    },
  };
}

function processorApiTopology(supplier: KeyValueBytesStoreSupplier): Topology {
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: S, valueSerde: S })
    .addProcessor('split', () => {
      let ctx: ProcessorContext<string, string>;
      return {
        init: (c: ProcessorContext<string, string>) => { ctx = c; },
        process: (r: Record<string, string>) => {
          for (const word of r.value.toLowerCase().split(/\W+/).filter(Boolean)) ctx.forward(new Record(word, word, r.timestamp));
        },
      };
    }, 'lines')
    .addProcessor('count', wordCounter, 'split')
    .addStateStore(Stores.keyValueStoreBuilder(supplier, S, I), 'count')
    .addSink('counts', { topic: 'word-counts', keySerde: S, valueSerde: I }, 'count');
}

function dslTopology(supplier: KeyValueBytesStoreSupplier): Topology {
  const builder = new StreamsBuilder();
  builder.addStateStore(Stores.keyValueStoreBuilder(supplier, S, I));
  builder.stream<string, string>('text', { keySerde: S, valueSerde: S })
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter(Boolean))
    .map((_key, word) => ({ key: word, value: word }))
    .process(wordCounter, 'counts')
    .to('word-counts', { keySerde: S, valueSerde: I });
  return builder.build();
}

const stores: [string, () => KeyValueBytesStoreSupplier][] = [
  ['in-memory', () => Stores.inMemoryKeyValueStore('counts')],
  ['LevelDB', () => Stores.persistentKeyValueStore('counts')],
  ['a user-written file store', () => fileStore('counts')],
];

for (const [api, make] of [['Processor API', processorApiTopology], ['DSL', dslTopology]] as const) {
  for (const [storeName, supplier] of stores) {
    test(`word count (${api}, ${storeName}): the store and the output topic hold every word's count`, async () => {
      const driver = new TopologyTestDriver(make(supplier()), { applicationId: 'word-count' });
      const input = driver.createInputTopic('text', S, S);
      await input.pipeInput('l1', 'the quick brown fox');
      await input.pipeInput('l2', 'The lazy dog and the fox');
      const counts = driver.getKeyValueStore<string, number>('counts');
      assert.is(counts.get('the'), 3);
      assert.is(counts.get('fox'), 2);
      assert.is(counts.get('dog'), 1);
      assert.is(counts.get('cat'), undefined);
      assert.equal([...counts.range('d', 'f')].map((kv) => kv.key), ['dog']);
      const latest = driver.createOutputTopic('word-counts', S, I).readKeyValuesToMap();
      assert.is(latest.get('the'), 3);
      assert.is(latest.size, 7);
      // Logging is on by default: each flush writes the changed counts to the changelog.
      const changelog = driver.createOutputTopic('word-count-counts-changelog', S, I).readKeyValuesToMap();
      assert.is(changelog.get('the'), 3);
      await driver.close();
    });
  }
}

test.run();
