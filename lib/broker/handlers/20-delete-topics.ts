// DeleteTopics (20), v0–v1. v1 adds throttle_time_ms. Deletion is immediate; pending
// long-poll fetches on the topic are woken and answer UNKNOWN_TOPIC_OR_PARTITION.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface DeleteTopicsRequest { topicNames: string[]; timeoutMs: number }
export interface DeleteTopicsResponse { throttleTimeMs: number; responses: { name: string; errorCode: number }[] }

export const deleteTopics = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest: (r) => ({ topicNames: r.array((r) => r.string()), timeoutMs: r.int32() }),
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(res.throttleTimeMs);
    w.array(res.responses, (w, t) => w.string(t.name).int16(t.errorCode));
  },
  handle(req, { broker }) {
    const responses = req.topicNames.map((name) => ({
      name,
      errorCode: broker.topics.delete(name) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    }));
    return { throttleTimeMs: 0, responses };
  },
});
