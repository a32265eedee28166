// CreateTopics (19), v0–v3. v1: validate_only, error_message; v2: throttle_time_ms; v3 = v2.
// num_partitions -1 means the broker default; replication factor must be 1 or -1 (one node).
// Configs are checked as Kafka's ConfigDef does (e.g. max.message.bytes an INT >= 0): INVALID_CONFIG.
import { ErrorCode } from '../protocol/errors.ts';
import { topicConfigProblem } from '../storage/topic-config.ts';
import { topicNameProblem } from '../storage/topic-store.ts';
import { defineHandler } from './types.ts';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partition: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}
export interface CreateTopicsRequest { topics: CreatableTopic[]; timeoutMs: number; validateOnly: boolean }
export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const createTopics = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r, version) {
    const topics = r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((r) => ({ partition: r.int32(), brokerIds: r.array((r) => r.int32()) })),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    const timeoutMs = r.int32();
    const validateOnly = version >= 1 ? r.boolean() : false;
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w, version, res) {
    if (version >= 2) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name).int16(t.errorCode);
      if (version >= 1) w.nullableString(t.errorMessage);
    });
  },
  handle(req, { broker }) {
    const store = broker.topics;
    const topics = req.topics.map((t) => {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
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
      if (req.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      const created = store.create(t.name, partitions, configs);
      switch (created.kind) {
        case 'created': return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
        case 'exists': return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
        case 'invalid-name': return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, created.message);
        case 'invalid-partitions': return fail(ErrorCode.INVALID_PARTITIONS, created.message);
      }
    });
    return { throttleTimeMs: 0, topics };
  },
});
