// CreateTopics (19), v0–v7. v1: validate_only, error_message; v2: throttle_time_ms; v3 = v2;
// v4: num_partitions and replication_factor -1 = the broker defaults (KIP-464); v5 is flexible
// and answers each topic's partitions, replication factor and configs (KIP-525); v6 = v5;
// v7 answers the topic id. Replication factor must be 1 or -1 (one node). Configs are checked
// as Kafka's ConfigDef does (e.g. max.message.bytes an INT >= 0): INVALID_CONFIG.
import { ErrorCode } from '../protocol/errors.ts';
import { topicConfigProblem } from '../storage/topic-config.ts';
import { topicNameProblem } from '../storage/topic-store.ts';
import { topicConfigEntries, type ConfigEntry } from './32-describe-configs.ts';
import { defineHandler } from './types.ts';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partition: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}
export interface CreateTopicsRequest { topics: CreatableTopic[]; timeoutMs: number; validateOnly: boolean }
export interface CreatedTopic {
  name: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
  /** v5+: -1 / -1 / [] on error. */
  numPartitions: number;
  replicationFactor: number;
  configs: ConfigEntry[];
}
export interface CreateTopicsResponse { throttleTimeMs: number; topics: CreatedTopic[] }

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

export const createTopics = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  firstFlexibleVersion: 5,
  decodeRequest(r, version) {
    const flex = version >= 5;
    const topics = r.array((r) => {
      const t = {
        name: r.string(flex),
        numPartitions: r.int32(),
        replicationFactor: r.int16(),
        assignments: r.array((r) => {
          const a = { partition: r.int32(), brokerIds: r.array((r) => r.int32(), flex) };
          if (flex) r.taggedFields();
          return a;
        }, flex),
        configs: r.array((r) => {
          const c = { name: r.string(flex), value: r.nullableString(flex) };
          if (flex) r.taggedFields();
          return c;
        }, flex),
      };
      if (flex) r.taggedFields();
      return t;
    }, flex);
    const timeoutMs = r.int32();
    const validateOnly = version >= 1 ? r.boolean() : false;
    if (flex) r.taggedFields();
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w, version, res) {
    const flex = version >= 5;
    if (version >= 2) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name, flex);
      if (version >= 7) w.uuid(t.topicId);
      w.int16(t.errorCode);
      if (version >= 1) w.nullableString(t.errorMessage, flex);
      if (flex) {
        w.int32(t.numPartitions).int16(t.replicationFactor);
        w.compactArray(t.configs, (w, c) => {
          w.compactString(c.name).compactNullableString(c.value).boolean(c.readOnly).int8(c.source).boolean(c.isSensitive).taggedFields();
        });
        w.taggedFields(); // topic_config_error_code (tag 0) is left out: configs are always returned
      }
    }, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker }) {
    const store = broker.topics;
    const topics = req.topics.map((t): CreatedTopic => {
      const fail = (errorCode: number, errorMessage: string): CreatedTopic =>
        ({ name: t.name, topicId: NO_TOPIC_ID, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1, configs: [] });
      const nameProblem = topicNameProblem(t.name);
      if (nameProblem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
      if (store.get(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor ${t.replicationFactor} is larger than the 1 broker available.`);
      }
      const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? broker.config.defaultPartitions : t.numPartitions;
      const configs = new Map<string, string>();
      for (const c of t.configs) if (c.value !== null) configs.set(c.name, c.value);
      const configProblem = topicConfigProblem(configs);
      if (configProblem) return fail(ErrorCode.INVALID_CONFIG, configProblem);
      if (!Number.isInteger(partitions) || partitions < 1) return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be at least 1, got ${partitions}.`);
      const ok = (topicId: string): CreatedTopic => ({
        name: t.name, topicId, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: partitions, replicationFactor: 1,
        configs: topicConfigEntries(broker, configs),
      });
      if (req.validateOnly) return ok(NO_TOPIC_ID);
      const created = store.create(t.name, partitions, configs);
      switch (created.kind) {
        case 'created': return ok(created.topic.id);
        case 'exists': return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
        case 'invalid-name': return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, created.message);
        case 'invalid-partitions': return fail(ErrorCode.INVALID_PARTITIONS, created.message);
      }
    });
    return { throttleTimeMs: 0, topics };
  },
});
