// The stateful DSL on a broker: a stream-table join on two instances with a failover.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { StreamsBuilder } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, newInstance, waitFor, S } from './fixtures.ts';

/** Every record of `topic` from the beginning until `expected` came: key → values. */
async function readAll(brokers: string[], topic: string, expected: number): Promise<Map<string, string[]>> {
  const consumer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: uniqueName('reader') });
  const out = new Map<string, string[]>();
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => {
    seen++;
    const key = message.key!.toString();
    out.set(key, [...(out.get(key) ?? []), message.value!.toString()]);
  } });
  try { await waitFor(`${expected} records on ${topic}`, () => seen >= expected); } finally { await consumer.disconnect(); }
  return out;
}

async function send(brokers: string[], topic: string, messages: { key: string; value: string }[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

forEachBroker('test/runtime/dsl-join.test.ts', (test, brokerList) => {
  test('a stream-table join on two instances finds every row after one of them leaves (the table restored)', async () => {
    const brokers = brokerList();
    const orders = uniqueName('orders');
    const customers = uniqueName('customers');
    const output = uniqueName('enriched');
    const applicationId = uniqueName('join-app');
    await createTopics(brokers, [{ topic: orders, numPartitions: 4 }, { topic: customers, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    const topology = () => {
      const b = new StreamsBuilder();
      const table = b.table(customers, { keySerde: S, valueSerde: S, materialized: { storeName: 'customers' } });
      b.stream<string, string>(orders, { keySerde: S, valueSerde: S }).join(table, (o, c) => `${o}:${c}`).to(output, { valueSerde: S });
      return b.build();
    };
    const ids = [...Array(20).keys()].map((i) => `c${i}`);
    await send(brokers, customers, ids.map((id) => ({ key: id, value: `name-${id}` })));
    const a = newInstance(topology(), { applicationId, brokers });
    const b = newInstance(topology(), { applicationId, brokers });
    try {
      await Promise.all([a.start(), b.start()]);
      await waitFor('every customer loaded', () => a.metrics().processed + b.metrics().processed >= ids.length);
      await send(brokers, orders, ids.map((id) => ({ key: id, value: 'o1' })));
      await waitFor('first orders processed', () => a.metrics().processed + b.metrics().processed >= 2 * ids.length);
      await b.close();
      await waitFor('a owns every task', () => a.state === 'RUNNING' && a.metrics().tasks.length === 4);
      await send(brokers, orders, ids.map((id) => ({ key: id, value: 'o2' })));
      const joined = await readAll(brokers, output, 2 * ids.length);
      for (const id of ids) assert.equal(joined.get(id), [`o1:name-${id}`, `o2:name-${id}`], `orders of ${id}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
