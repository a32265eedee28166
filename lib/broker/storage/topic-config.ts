// Topic configs the broker acts on: validation at CreateTopics/AlterConfigs and the effective
// value of each (the topic's own setting, else the broker's default). Other names are
// accepted and stored, as Kafka keeps unknown-to-us but valid configs.
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

/** A message for a config value the broker cannot use, or undefined when it is fine. */
export function topicConfigProblem(configs: ReadonlyMap<string, string>): string | undefined {
  const policy = configs.get('cleanup.policy');
  if (policy !== undefined && !CLEANUP_POLICIES.has(policy)) return `Invalid value ${policy} for configuration cleanup.policy`;
  const maxBytes = configs.get('max.message.bytes');
  if (maxBytes !== undefined) return intProblem('max.message.bytes', maxBytes, 0);
  return undefined;
}

/** The largest record batch (whole, log overhead included) a partition of `topic` accepts. */
export function maxMessageBytes(topic: Topic, config: BrokerConfig): number {
  const own = topic.configs.get('max.message.bytes');
  return own === undefined ? config.maxMessageBytes : Number(own.trim());
}
