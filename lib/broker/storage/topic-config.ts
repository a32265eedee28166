// Topic configs the broker honours: validation at CreateTopics/AlterConfigs and the effective
// value of each (the topic's own setting, else the broker's default). A name outside the
// catalogue, or a value the broker would not act on (retention.ms other than -1: nothing is
// deleted by time here), is refused with INVALID_CONFIG rather than kept and ignored.
import type { BrokerConfig } from '../state.ts';
import type { Topic } from './topic-store.ts';

/** Kafka's default for message.max.bytes / max.message.bytes: 1 MiB plus the 12-byte log overhead. */
export const KAFKA_MAX_MESSAGE_BYTES = 1048588;

const CLEANUP_POLICIES = new Set(['delete', 'compact', 'compact,delete', 'delete,compact']);

/** Kafka's ConfigDef INT parsing: trimmed, a 32-bit integer, and (here) at least `min`. */
function intProblem(name: string, value: string, min: number): string | undefined {
  const text = value.trim();
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text) || n < -(2 ** 31) || n > 2 ** 31 - 1) return `Invalid value ${value} for configuration ${name}: Not a number of type INT`;
  if (n < min) return `Invalid value ${value} for configuration ${name}: Value must be at least ${min}`;
  return undefined;
}

/** Kafka's ConfigDef LONG parsing, at least `min`. */
function longProblem(name: string, value: string, min: number): string | undefined {
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return `Invalid value ${value} for configuration ${name}: Not a number of type LONG`;
  if (Number(text) < min) return `Invalid value ${value} for configuration ${name}: Value must be at least ${min}`;
  return undefined;
}

/** Only the value this broker always behaves as (one node, no time or size retention, batches kept as sent). */
const only = (allowed: string, why: string) => (name: string, value: string) =>
  value.trim() === allowed ? undefined : `Invalid value ${value} for configuration ${name}: this broker supports only ${allowed} (${why})`;

/** Each honoured topic config and how a value is checked. */
const TOPIC_CONFIGS: Readonly<Record<string, (name: string, value: string) => string | undefined>> = {
  'cleanup.policy': (name, value) => (CLEANUP_POLICIES.has(value) ? undefined : `Invalid value ${value} for configuration ${name}`),
  'max.message.bytes': (name, value) => intProblem(name, value, 0),
  'compression.type': only('producer', 'batches are stored as the producer compressed them'),
  'message.timestamp.type': only('CreateTime', 'record timestamps are kept as written'),
  'min.insync.replicas': only('1', 'a single node'),
  'retention.ms': only('-1', 'records are not deleted by age'),
  'retention.bytes': only('-1', 'records are not deleted by size'),
  // The log is not split into segments: any segment bound is met, so valid values are kept.
  'segment.bytes': (name, value) => intProblem(name, value, 1024 * 1024),
  'segment.ms': (name, value) => longProblem(name, value, 1),
};

/** Names of the topic configs CreateTopics and the AlterConfigs APIs accept. */
export const HONOURED_TOPIC_CONFIGS: readonly string[] = Object.keys(TOPIC_CONFIGS);

/** A message for a config the broker would not honour, or undefined when every one is fine. */
export function topicConfigProblem(configs: ReadonlyMap<string, string>): string | undefined {
  for (const [name, value] of configs) {
    const check = TOPIC_CONFIGS[name];
    if (!check) return `Topic config ${name} is not supported by this broker (it honours ${HONOURED_TOPIC_CONFIGS.join(', ')})`;
    const problem = check(name, value);
    if (problem) return problem;
  }
  return undefined;
}

/** The largest record batch (whole, log overhead included) a partition of `topic` accepts. */
export function maxMessageBytes(topic: Topic, config: BrokerConfig): number {
  const own = topic.configs.get('max.message.bytes');
  return own === undefined ? config.maxMessageBytes : Number(own.trim());
}
