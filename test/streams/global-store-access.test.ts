import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext, type Record } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';

const S = Serdes.String();

test('any processor reads a global store without connecting it (as in Kafka Streams)', async () => {
  const topology = new Topology()
    .addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('names'), S, S).withLoggingDisabled(), {
      topic: 'names', keySerde: S, valueSerde: S,
      processor: () => {
        let store: KeyValueStore<string, string>;
        return {
          init(c: ProcessorContext<void, void>) { store = c.getStateStore('names'); },
          process(r: Record<string, string>) { store.put(r.key, r.value); },
        };
      },
    })
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('lookup', () => {
      let ctx: ProcessorContext<string, string>;
      let names: KeyValueStore<string, string>;
      return {
        init(c: ProcessorContext<string, string>) { ctx = c; names = c.getStateStore('names'); },
        process(r: Record<string, string>) { ctx.forward(r.withValue(names.get(r.value) ?? 'unknown')); },
      };
    }, 'in')
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: S }, 'lookup');
  const driver = new TopologyTestDriver(topology);
  try {
    await driver.createInputTopic('names', S, S).pipeInput('n1', 'Ada');
    await driver.createInputTopic('in', S, S).pipeInput('k', 'n1');
    assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList(), [{ key: 'k', value: 'Ada' }]);
  } finally {
    await driver.close();
  }
});

test.run();
