// CreatePartitions (37), v0–v1 (v1 = v0). Grows a topic to `count` partitions; manual
// assignments are accepted only when every replica list is our node.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: number[][] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}
export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const createPartitions = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest: (r) => ({
    topics: r.array((r) => ({ name: r.string(), count: r.int32(), assignments: r.nullableArray((r) => r.array((r) => r.int32())) })),
    timeoutMs: r.int32(),
    validateOnly: r.boolean(),
  }),
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, x) => w.string(x.name).int16(x.errorCode).nullableString(x.errorMessage));
  },
  handle(req, { broker }) {
    const results = req.topics.map(({ name, count, assignments }) => {
      const topic = broker.topics.get(name);
      if (!topic) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${name} does not exist` };
      const current = topic.partitions.length;
      if (count <= current) {
        return { name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic currently has ${current} partitions, ${count} would not be an increase.` };
      }
      if (assignments?.some((a) => a.some((id) => id !== broker.node.nodeId))) {
        return { name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `Only broker ${broker.node.nodeId} exists.` };
      }
      if (!req.validateOnly) broker.topics.grow(topic, count);
      return { name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, results };
  },
});
