import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, produceKeys, waitFor, S, I } from './fixtures.ts';
import { Record, Stores, Topology, type KeyValue, type KeyValueBytesStore, type KeyValueBytesStoreSupplier, type KeyValueStore, type ProcessorContext, type StateStoreContext } from '../../lib/index.ts';

/** A LevelDB store whose first `failures` flushes write to disk and then throw, as a crash after a local write would. */
function flakyStore(name: string, failures: { left: number }): KeyValueBytesStoreSupplier {
  return {
    name,
    get(): KeyValueBytesStore {
      const inner = Stores.persistentKeyValueStore(name).get();
      return {
        name, get persistent() { return inner.persistent; }, get isOpen() { return inner.isOpen; },
        init: (ctx: StateStoreContext) => inner.init(ctx),
        async flush() {
          await inner.flush();
          if (failures.left > 0) { failures.left--; throw new Error('injected failure after a local write'); }
        },
        close: () => inner.close(),
        get: (k: Uint8Array) => inner.get(k),
        range: (a?: Uint8Array, b?: Uint8Array) => inner.range(a, b),
        all: () => inner.all(),
        approximateNumEntries: () => inner.approximateNumEntries(),
        put: (k: Uint8Array, v: Uint8Array) => inner.put(k, v),
        putIfAbsent: (k: Uint8Array, v: Uint8Array) => inner.putIfAbsent(k, v),
        putAll: (e: readonly KeyValue<Uint8Array, Uint8Array>[]) => inner.putAll(e),
        delete: (k: Uint8Array) => inner.delete(k),
      };
    },
  };
}

forEachBroker('test/runtime/retried-batch.test.ts', (test, brokerList) => {
  test('a batch that fails after its writes reached disk is retried from the changelog: counts stay exact', async () => {
    const brokers = brokerList();
    const input = uniqueName('retry-in');
    await createTopics(brokers, [{ topic: input, numPartitions: 1 }]);
    const failures = { left: 2 };
    const topology = new Topology()
      .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
      .addProcessor('count', () => {
        let counts: KeyValueStore<string, number>;
        return {
          init(c: ProcessorContext) { counts = c.getStateStore('counts'); },
          process(r: Record<string, string>) { counts.put(r.key, (counts.get(r.key) ?? 0) + 1); },
        };
      }, 'in')
      .addStateStore(Stores.keyValueStoreBuilder(flakyStore('counts', failures), S, I), 'count');
    const app = newInstance(topology, { applicationId: uniqueName('retry-app'), brokers });
    try {
      await app.start();
      await produceKeys(brokers, input, 10, 10);
      await waitFor('the failures to be used up and every key counted', () => {
        try {
          return failures.left === 0 && [...Array(10).keys()].every((k) => app.store<string, number>('counts').get(`key-${k}`) !== undefined);
        } catch { return false; }
      }, 60_000);
      await new Promise((r) => setTimeout(r, 1500));
      for (let k = 0; k < 10; k++) assert.is(app.store<string, number>('counts').get(`key-${k}`), 10, `key-${k} counted exactly once`);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
  });
});
