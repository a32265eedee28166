// DescribeConfigs (32), v0–v2. v1: include_synonyms, config_source replaces is_default,
// synonyms per entry; v2 = v1. Topics (resource type 2) report their own configs plus the
// defaults we know; the broker (type 4) reports a few static settings.
import { ErrorCode } from '../protocol/errors.ts';
import type { BrokerState } from '../state.ts';
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

const TOPIC_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'retention.ms': '-1',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'min.insync.replicas': '1',
};

function brokerConfigs(broker: BrokerState): Record<string, string> {
  return {
    'broker.id': String(broker.node.nodeId),
    'auto.create.topics.enable': String(broker.config.autoCreateTopics),
    'num.partitions': String(broker.config.defaultPartitions),
    'socket.request.max.bytes': String(broker.config.maxFrameBytes),
    'default.replication.factor': '1',
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
        const all = new Map<string, ConfigEntry>();
        for (const [k, value] of Object.entries(TOPIC_DEFAULTS)) all.set(k, { name: k, value, readOnly: false, source: Source.DEFAULT, isSensitive: false });
        for (const [k, value] of topic.configs) all.set(k, { name: k, value, readOnly: false, source: Source.DYNAMIC_TOPIC, isSensitive: false });
        entries = [...all.values()];
      } else if (type === BROKER) {
        entries = Object.entries(brokerConfigs(broker)).map(([k, value]) => ({ name: k, value, readOnly: true, source: Source.STATIC_BROKER, isSensitive: false }));
      } else {
        return fail(ErrorCode.INVALID_REQUEST, `resource type ${type} is not supported`);
      }
      const configs = keys === null ? entries : entries.filter((e) => keys.includes(e.name));
      return { errorCode: ErrorCode.NONE, errorMessage: null, type, name, configs };
    });
    return { throttleTimeMs: 0, results };
  },
});
