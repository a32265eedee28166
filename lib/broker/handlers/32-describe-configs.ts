// DescribeConfigs (32), v0–v2. v1: include_synonyms, config_source replaces is_default,
// synonyms per entry; v2 = v1. Topics (resource type 2) report their own configs plus the
// defaults we know (max.message.bytes from the broker's message.max.bytes). The broker (type 4)
// answers for its own id with its static settings, and for "" (cluster-wide dynamic defaults)
// with none; another id is INVALID_REQUEST, as Kafka's ConfigHelper does. A value equal to
// Kafka's default reports source DEFAULT, else STATIC_BROKER (set at start); all read-only here.
import { ErrorCode } from '../protocol/errors.ts';
import type { BrokerState } from '../state.ts';
import { KAFKA_MAX_MESSAGE_BYTES } from '../storage/topic-config.ts';
import { defineHandler } from './types.ts';

const TOPIC = 2;
const BROKER = 4;
/** config_source values (KIP-226). */
const Source = { DYNAMIC_TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 } as const;

export interface DescribeConfigsRequest {
  resources: { type: number; name: string; keys: string[] | null }[];
  includeSynonyms: boolean;
}
export interface ConfigEntry { name: string; value: string | null; readOnly: boolean; source: number; isSensitive: boolean }
export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: { errorCode: number; errorMessage: string | null; type: number; name: string; configs: ConfigEntry[] }[];
}

/** Topic configs shown when the topic does not set them, with the broker setting they follow. */
function topicDefaults(broker: BrokerState): Record<string, { value: string; source: number }> {
  const fixed = (value: string) => ({ value, source: Source.DEFAULT });
  return {
    'cleanup.policy': fixed('delete'),
    'compression.type': fixed('producer'),
    'retention.ms': fixed('-1'),
    'max.message.bytes': fromBroker(broker.config.maxMessageBytes, KAFKA_MAX_MESSAGE_BYTES),
    'message.timestamp.type': fixed('CreateTime'),
    'min.insync.replicas': fixed('1'),
  };
}

const fromBroker = (value: number | boolean, kafkaDefault: number | boolean) =>
  ({ value: String(value), source: value === kafkaDefault ? Source.DEFAULT : Source.STATIC_BROKER });

/** A topic's configs as DescribeConfigs (and CreateTopics v5+) report them: its own, then the defaults. */
export function topicConfigEntries(broker: BrokerState, own: ReadonlyMap<string, string>): ConfigEntry[] {
  const all = new Map<string, ConfigEntry>();
  for (const [k, d] of Object.entries(topicDefaults(broker))) all.set(k, { name: k, value: d.value, readOnly: false, source: d.source, isSensitive: false });
  for (const [k, value] of own) all.set(k, { name: k, value, readOnly: false, source: Source.DYNAMIC_TOPIC, isSensitive: false });
  return [...all.values()];
}

function brokerConfigs(broker: BrokerState): Record<string, { value: string; source: number }> {
  const c = broker.config;
  return {
    'node.id': { value: String(broker.node.nodeId), source: Source.STATIC_BROKER },
    'auto.create.topics.enable': fromBroker(c.autoCreateTopics, true),
    'default.replication.factor': fromBroker(1, 1), // one node
    'message.max.bytes': fromBroker(c.maxMessageBytes, KAFKA_MAX_MESSAGE_BYTES),
    'min.insync.replicas': fromBroker(1, 1),
    'num.partitions': fromBroker(c.defaultPartitions, 1),
    'socket.request.max.bytes': fromBroker(c.maxFrameBytes, 100 * 1024 * 1024),
  };
}

export const describeConfigs = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: (r, v) => ({
    resources: r.array((r) => ({ type: r.int8(), name: r.string(), keys: r.nullableArray((r) => r.string()) })),
    includeSynonyms: v >= 1 ? r.boolean() : false,
  }),
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, x) => {
      w.int16(x.errorCode).nullableString(x.errorMessage).int8(x.type).string(x.name);
      w.array(x.configs, (w, c) => {
        w.string(c.name).nullableString(c.value).boolean(c.readOnly);
        if (v === 0) w.boolean(c.source === Source.DEFAULT);
        else w.int8(c.source);
        w.boolean(c.isSensitive);
        if (v >= 1) w.int32(0); // synonyms: none
      });
    });
  },
  handle(req, { broker }) {
    const results = req.resources.map(({ type, name, keys }) => {
      const fail = (errorCode: number, errorMessage: string) => ({ errorCode, errorMessage, type, name, configs: [] });
      let entries: ConfigEntry[];
      if (type === TOPIC) {
        const topic = broker.topics.get(name);
        if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
        entries = topicConfigEntries(broker, topic.configs);
      } else if (type === BROKER) {
        if (name !== '' && !/^-?\d+$/.test(name)) return fail(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
        if (name !== '' && Number(name) !== broker.node.nodeId) {
          return fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.node.nodeId} or empty string, but received ${name}`);
        }
        const own = name === '' ? {} : brokerConfigs(broker);
        entries = Object.entries(own).map(([k, d]) => ({ name: k, value: d.value, readOnly: true, source: d.source, isSensitive: false }));
      } else {
        return fail(ErrorCode.INVALID_REQUEST, `resource type ${type} is not supported`);
      }
      const configs = keys === null ? entries : entries.filter((e) => keys.includes(e.name));
      return { errorCode: ErrorCode.NONE, errorMessage: null, type, name, configs };
    });
    return { throttleTimeMs: 0, results };
  },
});
