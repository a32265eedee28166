// Helpers of the production-error and splitting tests: topics with configs, raw sends and reads,
// and a topology that writes a store with a changelog.
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { waitFor, S } from './fixtures.ts';
import { Record, Stores, Topology, ensureTopics, type KeyValueStore, type ProcessorContext } from '../../lib/index.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };

/** 2 MiB: over the broker default max.message.bytes (1048588). */
export const BIG = 2 * 1024 * 1024;

export async function withAdmin<T>(brokers: string[], fn: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = new kafkajs.Kafka({ brokers, ...quiet }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(brokers: string[], topic: string, configs: { [name: string]: string } = {}): Promise<void> {
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  await withAdmin(brokers, (admin) => ensureTopics(admin, [{ topic, numPartitions: 1, configEntries }]));
}

export interface Sent { key: string; value: string; partition?: number; headers?: { [k: string]: string } }

export async function send(brokers: string[], topic: string, messages: Sent[]): Promise<void> {
  const producer = new kafkajs.Kafka({ brokers, ...quiet }).producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** Values keyed k0, k1, ... */
export const keyed = (values: string[]): Sent[] => values.map((value, i) => ({ key: `k${i}`, value }));

export interface Read { size: number; /** The value's first 64 characters. */ value: string; headers: string[] }

/** Every record of a topic in offset order, once `expected` came (and a moment for any extra). */
export async function readAll(brokers: string[], topic: string, expected: number): Promise<Read[]> {
  const consumer = new kafkajs.Kafka({ brokers, ...quiet }).consumer({ groupId: uniqueName('reader') });
  const out: Read[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push({ size: message.value?.length ?? 0, value: message.value?.toString().slice(0, 64) ?? '', headers: Object.keys(message.headers ?? {}) });
    },
  });
  try {
    await waitFor(`${expected} records on ${topic}`, () => out.length >= expected);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** false while the task is closed or restoring (its store throws). */
export function attempt(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Entries of a store; -1 while its task is closed or restoring. */
export function count(store: { all(): IterableIterator<unknown> }): number {
  try {
    return [...store.all()].length;
  } catch {
    return -1;
  }
}

/**
 * Puts each record into the LevelDB store 'kv' (the value 'big' as 2 MiB); the value 'many'
 * puts 300 keys of 1 KiB instead.
 */
export function putting(input: string, logConfig: { [name: string]: string } = {}): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('put', () => {
      let store: KeyValueStore<string, string>;
      return {
        init(c: ProcessorContext) { store = c.getStateStore('kv'); },
        process(r: Record<string, string>) {
          if (r.value === 'many') for (let i = 0; i < 300; i++) store.put(`m${i}`, `${i}`.padEnd(1024, '.'));
          else store.put(r.key, r.value === 'big' ? 'x'.repeat(BIG) : r.value);
        },
      };
    }, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('kv'), S, S).withLoggingEnabled(logConfig), 'put');
}
