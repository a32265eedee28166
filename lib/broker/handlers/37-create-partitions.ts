// CreatePartitions (37), v0–v3 (v1 = v0; v2 is flexible; v3 = v2). Grows a topic to `count` partitions; manual
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
  maxVersion: 3,
  firstFlexibleVersion: 2,
  decodeRequest(r, v) {
    const flex = v >= 2;
    const tags = () => { if (flex) r.taggedFields(); };
    const topics = r.array((r) => {
      const name = r.string(flex), count = r.int32();
      // Each assignment is a struct (broker_ids), so flexible versions tag it too.
      const assignments = r.nullableArray((r) => { const ids = r.array((r) => r.int32(), flex); tags(); return ids; }, flex);
      tags();
      return { name, count, assignments };
    }, flex);
    const timeoutMs = r.int32(), validateOnly = r.boolean();
    tags();
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 2;
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, x) => {
      w.string(x.name, flex).int16(x.errorCode).nullableString(x.errorMessage, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
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
