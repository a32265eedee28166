// DescribeConfigs (32), v0–v4. v1: include_synonyms, config_source replaces is_default,
// synonyms per entry; v2 = v1; v3: include_documentation, and each entry's config_type and
// documentation (null unless asked); v4: flexible (KIP-482). Kafka 4.4 accepts v1–v4 (KIP-896
// removed v0); v0 stays for older clients. Topics (resource type 2) report the configs the broker honours
// (storage/topic-config.ts), each with its source and, when asked, its synonyms as Kafka 4.4
// lists them: the topic's own value (DYNAMIC_TOPIC_CONFIG), the broker setting it follows
// (STATIC_BROKER_CONFIG when set at start), Kafka's default under the broker's name
// (DEFAULT_CONFIG). The broker (type 4) answers for its own id with its static settings, and for
// "" (cluster-wide dynamic defaults) with none; another id is INVALID_REQUEST, as Kafka's
// ConfigHelper does. A broker value equal to Kafka's default reports DEFAULT, else STATIC_BROKER.
import { ErrorCode } from '../protocol/errors.ts';
import type { BrokerState } from '../state.ts';
import { brokerConfigInfo, topicConfigInfo, type ConfigInfo } from '../storage/config-catalog.ts';
import { KAFKA_MAX_MESSAGE_BYTES } from '../storage/topic-config.ts';
import { defineHandler } from './types.ts';

const TOPIC = 2;
const BROKER = 4;
/** config_source values (KIP-226). */
const Source = { DYNAMIC_TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 } as const;

export interface ConfigSynonym { name: string; value: string | null; source: number }

export interface DescribeConfigsRequest {
  resources: { type: number; name: string; keys: string[] | null }[];
  includeSynonyms: boolean;
  /** v3+. */
  includeDocumentation: boolean;
}
export interface ConfigEntry {
  name: string; value: string | null; readOnly: boolean; source: number; isSensitive: boolean; synonyms?: ConfigSynonym[];
  /** v3+: the config_type enum (storage/config-catalog.ts); 0 when absent. */
  configType?: number;
  /** v3+: null unless the request asked for documentation. */
  documentation?: string | null;
}
export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: { errorCode: number; errorMessage: string | null; type: number; name: string; configs: ConfigEntry[] }[];
}

/** A topic config's default: the broker setting it follows (Kafka's name for it) and Kafka's default value. */
interface TopicDefault { readonly value: string; readonly kafkaDefault: string; readonly brokerName: string | null }

/** Defaults of the honoured topic configs; retention.ms has no broker synonym in Kafka's answer either. */
function topicDefaults(broker: BrokerState): Record<string, TopicDefault> {
  const fixed = (value: string, brokerName: string | null): TopicDefault => ({ value, kafkaDefault: value, brokerName });
  return {
    'cleanup.policy': fixed('delete', 'log.cleanup.policy'),
    'compression.type': fixed('producer', 'compression.type'),
    'max.message.bytes': { value: String(broker.config.maxMessageBytes), kafkaDefault: String(KAFKA_MAX_MESSAGE_BYTES), brokerName: 'message.max.bytes' },
    'message.timestamp.type': fixed('CreateTime', 'log.message.timestamp.type'),
    'min.insync.replicas': fixed('1', 'min.insync.replicas'),
    'retention.bytes': fixed('-1', 'log.retention.bytes'),
    // Kafka's default is 7 days; this broker deletes nothing by age, which -1 says.
    'retention.ms': fixed('-1', null),
    'segment.bytes': fixed('1073741824', 'log.segment.bytes'),
    'segment.ms': fixed('604800000', null),
  };
}

/** A topic's configs as DescribeConfigs (and CreateTopics v5+) report them, with synonyms most specific first. */
export function topicConfigEntries(broker: BrokerState, own: ReadonlyMap<string, string>): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  for (const [name, d] of Object.entries(topicDefaults(broker))) {
    const synonyms: ConfigSynonym[] = [];
    const set = own.get(name);
    if (set !== undefined) synonyms.push({ name, value: set, source: Source.DYNAMIC_TOPIC });
    if (d.brokerName !== null) {
      if (d.value !== d.kafkaDefault) synonyms.push({ name: d.brokerName, value: d.value, source: Source.STATIC_BROKER });
      synonyms.push({ name: d.brokerName, value: d.kafkaDefault, source: Source.DEFAULT });
    }
    const source = set !== undefined ? Source.DYNAMIC_TOPIC : d.value !== d.kafkaDefault ? Source.STATIC_BROKER : Source.DEFAULT;
    entries.push({ name, value: set ?? d.value, readOnly: false, source, isSensitive: false, synonyms });
  }
  // Stored before the broker refused configs it does not honour (an older data dir): shown as set.
  for (const [name, value] of own) {
    if (!entries.some((e) => e.name === name)) entries.push({ name, value, readOnly: false, source: Source.DYNAMIC_TOPIC, isSensitive: false, synonyms: [{ name, value, source: Source.DYNAMIC_TOPIC }] });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
}

interface BrokerValue { value: string; source: number; kafkaDefault: string | null }
const fromBroker = (value: number | boolean, kafkaDefault: number | boolean): BrokerValue =>
  ({ value: String(value), source: value === kafkaDefault ? Source.DEFAULT : Source.STATIC_BROKER, kafkaDefault: String(kafkaDefault) });

/** As Kafka lists a broker setting: the static value (when set), then the default. */
function brokerSynonyms(name: string, d: BrokerValue): ConfigSynonym[] {
  const out: ConfigSynonym[] = [];
  if (d.source === Source.STATIC_BROKER) out.push({ name, value: d.value, source: Source.STATIC_BROKER });
  if (d.kafkaDefault !== null) out.push({ name, value: d.kafkaDefault, source: Source.DEFAULT });
  return out;
}

function brokerConfigs(broker: BrokerState): Record<string, BrokerValue> {
  const c = broker.config;
  return {
    'node.id': { value: String(broker.node.nodeId), source: Source.STATIC_BROKER, kafkaDefault: null },
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
  maxVersion: 4,
  firstFlexibleVersion: 4,
  decodeRequest(r, v) {
    const flex = v >= 4;
    const resources = r.array((r) => {
      const res = { type: r.int8(), name: r.string(flex), keys: r.nullableArray((r) => r.string(flex), flex) };
      if (flex) r.taggedFields();
      return res;
    }, flex);
    const includeSynonyms = v >= 1 ? r.boolean() : false;
    const includeDocumentation = v >= 3 ? r.boolean() : false;
    if (flex) r.taggedFields();
    return { resources, includeSynonyms, includeDocumentation };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 4;
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, x) => {
      w.int16(x.errorCode).nullableString(x.errorMessage, flex).int8(x.type).string(x.name, flex);
      w.array(x.configs, (w, c) => {
        w.string(c.name, flex).nullableString(c.value, flex).boolean(c.readOnly);
        if (v === 0) w.boolean(c.source === Source.DEFAULT);
        else w.int8(c.source);
        w.boolean(c.isSensitive);
        if (v >= 1) {
          w.array(c.synonyms ?? [], (w, syn) => {
            w.string(syn.name, flex).nullableString(syn.value, flex).int8(syn.source);
            if (flex) w.taggedFields();
          }, flex);
        }
        if (v >= 3) w.int8(c.configType ?? 0).nullableString(c.documentation ?? null, flex);
        if (flex) w.taggedFields();
      }, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker }) {
    const results = req.resources.map(({ type, name, keys }) => {
      const fail = (errorCode: number, errorMessage: string) => ({ errorCode, errorMessage, type, name, configs: [] });
      let entries: ConfigEntry[];
      let info: (name: string) => ConfigInfo;
      if (type === TOPIC) {
        info = topicConfigInfo;
        const topic = broker.topics.get(name);
        if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
        entries = topicConfigEntries(broker, topic.configs);
      } else if (type === BROKER) {
        info = brokerConfigInfo;
        if (name !== '' && !/^-?\d+$/.test(name)) return fail(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
        if (name !== '' && Number(name) !== broker.node.nodeId) {
          return fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.node.nodeId} or empty string, but received ${name}`);
        }
        const own = name === '' ? {} : brokerConfigs(broker);
        entries = Object.entries(own).map(([k, d]) => ({ name: k, value: d.value, readOnly: true, source: d.source, isSensitive: false, synonyms: brokerSynonyms(k, d) }));
      } else {
        return fail(ErrorCode.INVALID_REQUEST, `resource type ${type} is not supported`);
      }
      const wanted = keys === null ? entries : entries.filter((e) => keys.includes(e.name));
      const configs = wanted.map((e) => {
        const { type: configType, doc } = info(e.name);
        return { ...e, synonyms: req.includeSynonyms ? e.synonyms : [], configType, documentation: req.includeDocumentation ? doc : null };
      });
      return { errorCode: ErrorCode.NONE, errorMessage: null, type, name, configs };
    });
    return { throttleTimeMs: 0, results };
  },
});
