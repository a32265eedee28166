// startProvider and startReader on an embedded broker in this process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../lib/broker/index.ts';
import { decodeWineRecord, decodeModelDescriptor, encodeServingResult, ModelType, type ServingResult, type WineRecord, type ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { startProvider } from '../../../topologies/client/provider.ts';
import { formatResult, startReader } from '../../../topologies/client/reader.ts';
import { readWineCsv } from '../../../topologies/client/sources.ts';

let broker: RunningBroker;
let topicNo = 0;
const topic = (name: string) => `${name}-${++topicNo}`;

test.before(async () => {
  broker = await startBroker({ port: 0 });
});
test.after(async () => {
  await broker.stop();
});

async function createTopic(name: string, numPartitions = 1): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: name, numPartitions }], waitForLeaders: true });
  await admin.disconnect();
}

/** Every message of a one-partition topic, from the start, until `count` have come. */
async function readAll(name: string, count: number): Promise<{ key: string | null; value: Buffer }[]> {
  const consumer = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: `${name}-check` });
  const out: { key: string | null; value: Buffer }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [name], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { out.push({ key: message.key?.toString() ?? null, value: message.value! }); } });
  const deadline = Date.now() + 20_000;
  while (out.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  return out;
}

test('records go out in CSV order, looping past the end, and stop at the limit', async () => {
  const data = topic('data');
  await createTopic(data);
  const csv = readWineCsv('data/wine.csv').slice(0, 7);
  const provider = await startProvider({ brokers: broker.brokers, records: { topic: data, records: csv, ratePerSecond: 1000, limit: 10 }, log: () => {} });
  await provider.done;
  await provider.stop();
  assert.is(provider.counts().records, 10);
  const sent = (await readAll(data, 10)).map((m) => decodeWineRecord(m.value));
  const expected: WineRecord[] = [...csv, ...csv.slice(0, 3)];
  assert.equal(sent, expected);
});

test('the record rate holds: 15 records at 30/s take about half a second', async () => {
  const data = topic('data');
  await createTopic(data);
  const started = Date.now();
  const provider = await startProvider({ brokers: broker.brokers, records: { topic: data, records: readWineCsv('data/wine.csv'), ratePerSecond: 30, limit: 15 }, log: () => {} });
  await provider.done;
  const ms = Date.now() - started;
  await provider.stop();
  // 15 records at 30/s: the first at once, the 15th due at 467 ms.
  assert.ok(ms >= 400 && ms < 3000, `took ${ms} ms`);
});

test('models cycle over the files, keyed by dataType, one per interval', async () => {
  const models = topic('models');
  await createTopic(models);
  const files = ['data/models/wine-linear-regression.pmml', 'data/models/wine-tf.pb'];
  const lines: string[] = [];
  const provider = await startProvider({ brokers: broker.brokers, models: { topic: models, files, intervalMs: 100, dataType: 'red' }, log: (l) => lines.push(l) });
  const got = await readAll(models, 3);
  await provider.stop();
  const descriptors: ModelDescriptor[] = got.slice(0, 3).map((m) => decodeModelDescriptor(m.value));
  assert.equal(descriptors.map((d) => d.name), ['wine-linear-regression', 'wine-tf', 'wine-linear-regression']);
  assert.equal(descriptors.map((d) => d.modelType), [ModelType.PMML, ModelType.TENSORFLOW, ModelType.PMML]);
  assert.equal(got.slice(0, 3).map((m) => m.key), ['red', 'red', 'red']);
  assert.ok(lines.some((l) => /model wine-tf \(TensorFlow model from wine-tf\.pb; by value, \d+ bytes\)/.test(l)), lines.join('\n'));
});

test('a single model file by reference is sent once and the provider is done', async () => {
  const models = topic('models');
  await createTopic(models);
  const provider = await startProvider({ brokers: broker.brokers, models: { topic: models, files: ['data/models/wine-tf.pb'], byReference: true, loop: false }, log: () => {} });
  await provider.done;
  await provider.stop();
  assert.is(provider.counts().models, 1);
  const [only] = await readAll(models, 1);
  const d = decodeModelDescriptor(only!.value);
  assert.match(d.location ?? '', /\/data\/models\/wine-tf\.pb$/);
});

test('the reader hands over each result as it arrives and counts payloads that are not results', async () => {
  const results = topic('results');
  await createTopic(results);
  const seen: ServingResult[] = [];
  const bad: Error[] = [];
  const reader = await startReader({ brokers: broker.brokers, topic: results, fromBeginning: true, onResult: (r) => seen.push(r), onBadMessage: (e) => bad.push(e) });
  const result: ServingResult = {
    dataType: 'wine', modelName: 'tree', modelType: ModelType.PMML, outcome: { kind: 'scored', value: 6 },
    durationMs: 0.125, timestamp: 1_700_000_000_000, partition: 1, offset: '42',
  };
  const producer = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: results, messages: [{ value: Buffer.from(encodeServingResult(result)) }, { value: Buffer.from([0xff, 0xff, 0xff]) }] });
  await producer.disconnect();
  const deadline = Date.now() + 20_000;
  while ((seen.length < 1 || bad.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await reader.stop();
  assert.equal(seen, [result]);
  assert.is(bad.length, 1);
  assert.equal(reader.counts(), { results: 1, bad: 1 });
});

test('formatResult shows where the record came from, the model, what it said and how long it took', () => {
  const base = { dataType: 'wine', modelName: 'tree', modelType: ModelType.PMML, durationMs: 0.125, timestamp: 0, partition: 1, offset: '42' };
  assert.is(formatResult({ ...base, outcome: { kind: 'scored', value: 6 } }), 'wine p1@42 tree (PMML) → 6 in 0.125 ms');
  assert.is(formatResult({ ...base, modelType: ModelType.TENSORFLOW, outcome: { kind: 'failed', error: 'NaN input' } }), 'wine p1@42 tree (TENSORFLOW) failed: NaN input in 0.125 ms');
});

test.run();
