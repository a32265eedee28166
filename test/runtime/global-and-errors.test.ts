import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, waitFor, S, I } from './fixtures.ts';
import { Record, Stores, Topology, logAndFail, StreamsError, type KeyValueStore, type ProcessorContext, type StreamsState } from '../../lib/index.ts';


async function send(brokers: string[], topic: string, messages: { key: string; value: Buffer | string }[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Orders (key → product) enriched with the product's price from a global store. */
function enrichTopology(orders: string, prices: string, output: string) {
  return new Topology()
    .addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('prices'), S, I).withLoggingDisabled(), {
      topic: prices, keySerde: S, valueSerde: I,
      processor: () => {
        let store: KeyValueStore<string, number>;
        return {
          init(c: ProcessorContext<void, void>) { store = c.getStateStore('prices'); },
          process(r: Record<string, number>) { store.put(r.key, r.value); },
        };
      },
    })
    .addSource('orders', { topics: [orders], keySerde: S, valueSerde: S })
    .addProcessor('enrich', () => {
      let ctx: ProcessorContext<string, number>;
      let prices: KeyValueStore<string, number>;
      return {
        init(c: ProcessorContext<string, number>) { ctx = c; prices = c.getStateStore('prices'); },
        process(r: Record<string, string>) { ctx.forward(r.withValue(prices.get(r.value) ?? -1)); },
      };
    }, 'orders')
    .addSink('out', { topic: output, keySerde: S, valueSerde: I }, 'enrich');
}

forEachBroker('test/runtime/global-and-errors.test.ts', (test, brokerList) => {
  test('a global store is bootstrapped from every partition before the first record, then keeps up', async () => {
    const brokers = brokerList();
    const [orders, prices, output] = [uniqueName('orders'), uniqueName('prices'), uniqueName('priced')];
    await createTopics(brokers, [{ topic: orders, numPartitions: 2 }, { topic: prices, numPartitions: 3 }, { topic: output, numPartitions: 1 }]);
    await send(brokers, prices, Array.from({ length: 60 }, (_, i) => ({ key: `p${i}`, value: Buffer.from(I.serialize(i * 10)) })));
    const app = newInstance(enrichTopology(orders, prices, output), { applicationId: uniqueName('enrich'), brokers });
    try {
      await app.start();
      assert.is(app.store<string, number>('prices').approximateNumEntries(), 60, 'bootstrapped before start() resolved');
      assert.is(app.store<string, number>('prices').get('p42'), 420);
      await send(brokers, prices, [{ key: 'p99', value: Buffer.from(I.serialize(990)) }]);
      await waitFor('the new price', () => app.store<string, number>('prices').get('p99') === 990);
      await send(brokers, orders, [{ key: 'o1', value: 'p7' }, { key: 'o2', value: 'p99' }]);
      await waitFor('both orders', () => app.metrics().processed === 2);
    } finally {
      await app.close();
    }
  });

  test('poison records are skipped and counted while the rest of the stream is processed', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('poison-in'), uniqueName('poison-out')];
    await createTopics(brokers, [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 1 }]);
    const sums = new Topology()
      .addSource('in', { topics: [input], keySerde: S, valueSerde: I })
      .addProcessor('sum', () => {
        let store: KeyValueStore<string, number>;
        return {
          init(c: ProcessorContext) { store = c.getStateStore('sums'); },
          process(r: Record<string, number>) { store.put(r.key, (store.get(r.key) ?? 0) + r.value); },
        };
      }, 'in')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('sums'), S, I), 'sum');
    const app = newInstance(sums, { applicationId: uniqueName('poison'), brokers });
    try {
      await app.start();
      const messages = [];
      for (let i = 0; i < 100; i++) messages.push({ key: `k${i % 4}`, value: i % 10 === 0 ? Buffer.from('not an int32') : Buffer.from(I.serialize(1)) });
      await send(brokers, input, messages);
      await waitFor('100 records seen', () => app.metrics().processed + app.metrics().skippedDeserialization >= 100);
      assert.is(app.metrics().skippedDeserialization, 10);
      assert.is(app.metrics().processed, 90);
      const total = [0, 1, 2, 3].reduce((n, k) => n + (app.store<string, number>('sums').get(`k${k}`) ?? 0), 0);
      assert.is(total, 90);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
  });

  test('a handler that answers fail moves the application to ERROR with the cause', async () => {
    const brokers = brokerList();
    const input = uniqueName('fail-in');
    await createTopics(brokers, [{ topic: input, numPartitions: 1 }]);
    const topology = new Topology()
      .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
      .addProcessor('picky', () => ({ process(r: Record<string, string>) { if (r.value === 'bad') throw new Error('cannot handle "bad"'); } }), 'in');
    const app = newInstance(topology, { applicationId: uniqueName('fail'), brokers, onProcessingError: logAndFail });
    const states: StreamsState[] = [];
    let cause: Error | undefined;
    app.onStateChange((next, _prev, error) => { states.push(next); if (error) cause = error; });
    try {
      await app.start();
      await send(brokers, input, [{ key: 'a', value: 'good' }, { key: 'b', value: 'bad' }]);
      await waitFor('ERROR state', () => app.state === 'ERROR');
      assert.instance(app.error, StreamsError);
      assert.match(app.error!.message, /cannot handle "bad"/);
      assert.ok(cause, 'the listener got the cause');
      assert.equal(states.slice(0, 2), ['REBALANCING', 'RUNNING']);
    } finally {
      await app.close();
    }
  });

  test('a missing source topic fails start() with a message naming it', async () => {
    const brokers = brokerList();
    const topology = new Topology().addSource('in', { topics: ['no-such-topic-here'] }).addProcessor('p', () => ({ process() {} }), 'in');
    const app = newInstance(topology, { applicationId: uniqueName('missing'), brokers });
    try {
      await app.start();
      assert.unreachable('start should fail');
    } catch (err) {
      assert.match((err as Error).message, /no-such-topic-here/);
      assert.is(app.state, 'ERROR');
    } finally {
      await app.close();
    }
  });
});
