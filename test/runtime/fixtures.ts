// Shared pieces of the runtime integration tests: a counting topology and polling helpers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { KafkaStreams, Record, ensureTopics, Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext, type StreamsConfig } from '../../lib/index.ts';

export const S = Serdes.String();
export const I = Serdes.Int32();

/** input (String key) → count per key in a LevelDB store → output (key, count). */
export function countTopology(input: string, output: string, store = 'counts', persistent = true): Topology {
  const supplier = persistent ? Stores.persistentKeyValueStore(store) : Stores.inMemoryKeyValueStore(store);
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('count', () => {
      let ctx: ProcessorContext<string, number>;
      let counts: KeyValueStore<string, number>;
      return {
        init(c: ProcessorContext<string, number>) { ctx = c; counts = c.getStateStore(store); },
        process(r: Record<string, string>) {
          const n = (counts.get(r.key) ?? 0) + 1;
          counts.put(r.key, n);
          ctx.forward(r.withValue(n));
        },
      };
    }, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(supplier, S, I), 'count')
    .addSink('out', { topic: output, keySerde: S, valueSerde: I }, 'count');
}

export function newInstance(topology: Topology, config: Omit<StreamsConfig, 'stateDir'> & { stateDir?: string }): KafkaStreams {
  // fetchMaxWaitMs 500 (Kafka's default): with kafkajs's 5000 every idle close() waits ~5 s for its fetch.
  return new KafkaStreams(topology, {
    stateDir: mkdtempSync(join(tmpdir(), 'modelstream-rt-')), logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000, fetchMaxWaitMs: 500, ...config,
  });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function createTopics(brokers: string[], topics: { topic: string; numPartitions: number }[]): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await ensureTopics(admin, topics);
  await admin.disconnect();
}

/** Sends `perKey` records for each of `keys` keys, spread over the topic's partitions by key. */
export async function produceKeys(brokers: string[], topic: string, keys: number, perKey: number): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  const messages = [];
  for (let round = 0; round < perKey; round++) for (let k = 0; k < keys; k++) messages.push({ key: `key-${k}`, value: `v${round}` });
  for (let i = 0; i < messages.length; i += 2000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 2000) });
  await producer.disconnect();
}

/** The latest value per key in a topic, read from the beginning until `expected` records came. */
export async function readLatest(brokers: string[], topic: string, expected: number): Promise<Map<string, number>> {
  const consumer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: `reader-${Date.now()}-${Math.random()}` });
  const latest = new Map<string, number>();
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { seen++; latest.set(message.key!.toString(), I.deserialize(message.value!)); } });
  try {
    await waitFor(`${expected} records on ${topic}`, () => seen >= expected);
  } finally {
    await consumer.disconnect();
  }
  return latest;
}
