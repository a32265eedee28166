// Creates the serving application's topics (data, models, results, shadow results) when they are missing (Kafka Streams does not
// create its source topics; `serve`, `provide` and `demo` do it for the user).
import kafkajs from 'kafkajs';
import { ensureTopics } from '../../lib/index.ts';
import { DEFAULT_TOPICS, type ServingTopicNames } from '../api.ts';

export interface EnsureTopicsOptions {
  readonly brokers: readonly string[];
  readonly topics: ServingTopicNames;
  /** Partitions of the data and results topics; the models topic has one (models are keyed by dataType). */
  readonly partitions: number;
  readonly log: (line: string) => void;
}

export async function ensureServingTopics(options: EnsureTopicsOptions): Promise<void> {
  const admin = new kafkajs.Kafka({ clientId: 'modelstream-cli', brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 5 } }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const { data, models, results, shadow = DEFAULT_TOPICS.shadow! } = options.topics;
    const wanted = [
      { topic: data, numPartitions: options.partitions },
      { topic: models, numPartitions: 1 },
      { topic: results, numPartitions: options.partitions },
      { topic: shadow, numPartitions: options.partitions },
    ];
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await ensureTopics(admin, missing);
      options.log(`created topics ${missing.map((t) => `${t.topic} (${t.numPartitions} partition${t.numPartitions === 1 ? '' : 's'})`).join(', ')}`);
    }
    const present = wanted.filter((t) => existing.has(t.topic)).map((t) => t.topic);
    if (present.length) {
      const { topics } = await admin.fetchTopicMetadata({ topics: present });
      options.log(`using existing topics ${topics.map((t) => `${t.name} (${t.partitions.length} partition${t.partitions.length === 1 ? '' : 's'})`).join(', ')}`);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once `topic` exists (polling each second), or false when `stillWanted()` turns false. */
export async function waitForTopic(brokers: readonly string[], topic: string, onWaiting: () => void, stillWanted: () => boolean): Promise<boolean> {
  const admin = new kafkajs.Kafka({ clientId: 'modelstream-cli', brokers: [...brokers], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 5 } }).admin();
  await admin.connect();
  try {
    for (let first = true; stillWanted(); first = false) {
      if ((await admin.listTopics()).includes(topic)) return true;
      if (first) onWaiting();
      await new Promise((r) => setTimeout(r, 1000));
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}
