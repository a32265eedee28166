// Output records the broker refuses (too large for the topic) go to onProductionError; a commit
// never fails forever on one input record. Big sink batches and big changelogs are split by bytes.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import {
  ProductionError, Record, Stores, Topology, StreamsError,
  type KeyValueStore, type ProcessorContext, type ProductionErrorSite, type ProductionExceptionHandler,
} from '../../lib/index.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };

async function createTopic(brokers: string[], topic: string, configs: { [name: string]: string } = {}): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, ...quiet }).admin();
  await admin.connect();
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }], waitForLeaders: true });
  await admin.disconnect();
}

async function send(brokers: string[], topic: string, values: string[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, ...quiet }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  await producer.disconnect();
}

/** Every record of a topic: value sizes, and header names, in offset order. */
async function readAll(brokers: string[], topic: string, expected: number): Promise<{ size: number; value: string; headers: string[] }[]> {
  const consumer = new kafkajs.Kafka({ brokers, ...quiet }).consumer({ groupId: uniqueName('reader'), maxBytesPerPartition: 8 << 20 });
  const out: { size: number; value: string; headers: string[] }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value?.toString() ?? '';
      out.push({ size: message.value?.length ?? 0, value: value.slice(0, 64), headers: Object.keys(message.headers ?? {}) });
    },
  });
  try {
    await waitFor(`${expected} records on ${topic}`, () => out.length >= expected);
    await new Promise((r) => setTimeout(r, 300)); // any extra record would arrive now
  } finally {
    await consumer.disconnect();
  }
  return out;
}

const BIG = 2 * 1024 * 1024;

/** Echoes each value; the value 'big' becomes 2 MiB, over the default max.message.bytes. */
function inflating(input: string, output: string): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('inflate', () => {
      let ctx: ProcessorContext<string, string>;
      return {
        init(c: ProcessorContext<string, string>) { ctx = c; },
        process(r: Record<string, string>) { ctx.forward(r.value === 'big' ? r.withValue('x'.repeat(BIG)) : r); },
      };
    }, 'in')
    .addSink('out', { topic: output, keySerde: S, valueSerde: S }, 'inflate');
}

function recording(answer: 'continue' | 'fail'): { handler: ProductionExceptionHandler; calls: { error: Error; site: ProductionErrorSite }[] } {
  const calls: { error: Error; site: ProductionErrorSite }[] = [];
  return { calls, handler: (error, site) => { calls.push({ error, site }); return answer; } };
}

const values = ['v0', 'v1', 'v2', 'big', 'v4', 'v5', 'v6'];

forEachBroker('test/runtime/production-errors.test.ts', (test, brokerList) => {
  test('a sink record over max.message.bytes goes to the handler with its input, is counted and skipped; later records are sent and a restart does not meet it again', async () => {
    const brokers = brokerList();
    const [input, output, applicationId] = [uniqueName('big-in'), uniqueName('big-out'), uniqueName('big')];
    await createTopic(brokers, input);
    await createTopic(brokers, output);
    const first = recording('continue');
    const app = newInstance(inflating(input, output), { applicationId, brokers, onProductionError: first.handler });
    try {
      await app.start();
      await send(brokers, input, values);
      await waitFor('all records processed', () => app.metrics().processed === values.length && app.metrics().skippedProduction === 1);
      const sent = await readAll(brokers, output, values.length - 1);
      assert.equal(sent.map((r) => r.value), values.filter((v) => v !== 'big'), 'every normal record, in order');
      assert.is(first.calls.length, 1);
      const { error, site } = first.calls[0]!;
      assert.instance(error, ProductionError);
      assert.equal({ topic: site.topic, partition: site.partition, offset: site.offset }, { topic: input, partition: 0, offset: 3 });
      assert.equal({ outputTopic: site.outputTopic, reason: site.reason, changelog: site.changelog }, { outputTopic: output, reason: 'MESSAGE_TOO_LARGE', changelog: false });
      assert.equal(app.metrics().skippedProductionByReason, { MESSAGE_TOO_LARGE: 1 });
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
    const second = recording('continue');
    const again = newInstance(inflating(input, output), { applicationId, brokers, onProductionError: second.handler });
    try {
      await again.start();
      await send(brokers, input, ['after']);
      await waitFor('the new record', () => again.metrics().processed === 1);
      assert.is(second.calls.length, 0, 'the refused record was not processed again');
    } finally {
      await again.close();
    }
  });

  test('a handler answering fail moves the application to ERROR with the refusal as the cause', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('bigfail-in'), uniqueName('bigfail-out')];
    await createTopic(brokers, input);
    await createTopic(brokers, output);
    const { handler, calls } = recording('fail');
    const app = newInstance(inflating(input, output), { applicationId: uniqueName('bigfail'), brokers, onProductionError: handler });
    try {
      await app.start();
      await send(brokers, input, values);
      await waitFor('ERROR state', () => app.state === 'ERROR');
      assert.instance(app.error, StreamsError);
      assert.instance(app.error!.cause, ProductionError);
      assert.is((app.error!.cause as ProductionError).reason, 'MESSAGE_TOO_LARGE');
      assert.is(calls.length, 1);
      assert.is(app.metrics().skippedProduction, 0, 'a failed record is not counted as skipped');
    } finally {
      await app.close();
    }
  });

  test('1,500 records of 1 KiB for one partition in one commit are sent in pieces under the topic limit', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('many-in'), uniqueName('many-out')];
    await createTopic(brokers, input);
    // 64 KiB: one batch of all 1,500 (1.5 MB) or of 1,000 would be refused by Kafka.
    await createTopic(brokers, output, { 'max.message.bytes': '65536' });
    const topology = new Topology()
      .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
      .addProcessor('fan-out', () => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c: ProcessorContext<string, string>) { ctx = c; },
          process(r: Record<string, string>) { for (let i = 0; i < 1500; i++) ctx.forward(new Record(`k${i}`, `${i}:`.padEnd(1024, '.'), r.timestamp)); },
        };
      }, 'in')
      .addSink('out', { topic: output, keySerde: S, valueSerde: S }, 'fan-out');
    const app = newInstance(topology, { applicationId: uniqueName('many'), brokers });
    try {
      await app.start();
      await send(brokers, input, ['go']);
      const sent = await readAll(brokers, output, 1500);
      assert.is(sent.length, 1500);
      assert.ok(sent.every((r) => r.size === 1024));
      assert.equal(sent.map((r) => Number(r.value.split(':')[0])), Array.from({ length: 1500 }, (_, i) => i), 'in order');
      assert.is(app.metrics().skippedProduction, 0);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
  });
});
