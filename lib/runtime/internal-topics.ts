import kafkajs, { type Admin } from 'kafkajs';
import { DEFAULT_MAX_MESSAGE_BYTES } from './record-size.ts';
import { StreamsConfigError } from './config.ts';

const { ConfigResourceTypes } = kafkajs;

type TopicConfig = Readonly<{ [name: string]: string }>;

/**
 * The configs a changelog is created with: compacted, CreateTime (a restore must see the
 * timestamps the records were written with, whatever the broker's default), the broker's
 * default `max.message.bytes` stated explicitly; then `StreamsConfig.topicConfig`, then the
 * store's own `withLoggingEnabled(config)`, which wins.
 */
export function changelogConfig(topicConfig: TopicConfig, storeConfig: TopicConfig): { [name: string]: string } {
  const config = {
    'cleanup.policy': 'compact',
    'message.timestamp.type': 'CreateTime',
    'max.message.bytes': String(DEFAULT_MAX_MESSAGE_BYTES),
    ...topicConfig,
    ...storeConfig,
  };
  // A key-value changelog keeps the latest value per key; without compaction it loses keys.
  if (!config['cleanup.policy'].split(',').map((p) => p.trim()).includes('compact')) {
    throw new StreamsConfigError(`A changelog must be compacted: cleanup.policy '${config['cleanup.policy']}' lacks 'compact'`);
  }
  return config;
}

/**
 * The replication factor for internal topics. -1 means the broker's `default.replication.factor`,
 * which CreateTopics v4 resolves on the broker (KIP-464); kafkajs speaks v3 only, so it is read
 * with DescribeConfigs on a broker. When it cannot be read: min(3, brokers), logged.
 */
export async function resolveReplicationFactor(admin: Admin, requested: number, log: (message: string) => void): Promise<number> {
  if (requested !== -1) return requested;
  const { brokers } = await admin.describeCluster();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0]!.nodeId), configNames: ['default.replication.factor'] }],
    });
    const entry = resources[0]?.configEntries.find((e) => e.configName === 'default.replication.factor');
    const value = Number(entry?.configValue);
    if (resources[0]?.errorCode === 0 && Number.isInteger(value) && value > 0) return value;
    log(`the broker's default.replication.factor is unreadable (${JSON.stringify(entry?.configValue ?? resources[0]?.errorMessage)})`);
  } catch (err) {
    log(`reading the broker's default.replication.factor failed: ${String(err)}`);
  }
  const fallback = Math.min(3, brokers.length);
  log(`internal topics get replication factor ${fallback} (min(3, ${brokers.length} brokers)); set replicationFactor to choose`);
  return fallback;
}

/** What a DSL repartition topic is created with: deleted by time, never compacted (its records are not a changelog). */
export function repartitionConfig(topicConfig: TopicConfig): { [name: string]: string } {
  return { 'message.timestamp.type': 'CreateTime', ...topicConfig, 'cleanup.policy': 'delete' };
}

interface PartitionedSubtopology {
  readonly sourceTopics: readonly string[];
  readonly sinkTopics: readonly string[];
}

/**
 * Partition counts of the internal topics, as Kafka Streams chooses them: as many as the
 * sub-topology writing to the topic reads (the most of its sources), resolved upstream first.
 * Throws when a count cannot be found (a cycle of internal topics).
 */
export function internalTopicPartitions(
  subtopologies: readonly PartitionedSubtopology[],
  internalTopics: readonly string[],
  known: ReadonlyMap<string, number>,
): Map<string, number> {
  const counts = new Map<string, number>();
  const internal = new Set(internalTopics);
  for (let progress = true; progress && counts.size < internal.size;) {
    progress = false;
    for (const topic of internal) {
      if (counts.has(topic)) continue;
      const writers = subtopologies.filter((s) => s.sinkTopics.includes(topic));
      const sources = writers.flatMap((s) => s.sourceTopics);
      const resolved = sources.map((t) => known.get(t) ?? counts.get(t));
      if (sources.length === 0 || resolved.some((n) => n === undefined)) continue;
      counts.set(topic, Math.max(...(resolved as number[])));
      progress = true;
    }
  }
  const missing = [...internal].filter((t) => !counts.has(t));
  if (missing.length) throw new StreamsConfigError(`Cannot choose the partition count of internal topics ${missing.join(', ')}: no sub-topology with known source partitions writes to them`);
  return counts;
}
