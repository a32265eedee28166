// DeleteTopics (20), v0–v6. v1 adds throttle_time_ms; v2–v3 = v1; v4 is flexible; v5 adds
// error_message; v6 names each topic by name or by id (UNKNOWN_TOPIC_ID) and answers both.
// Deletion is immediate; pending long-poll fetches on the topic are woken and answer
// UNKNOWN_TOPIC_OR_PARTITION; the groups' committed offsets of the topic go too.
import { groupCoordinator } from '../groups/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

/** Before v6 only names (topicId = the zero UUID). */
export interface DeleteTopicsRequest { topics: { name: string | null; topicId: string }[]; timeoutMs: number }
export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: { name: string | null; topicId: string; errorCode: number; errorMessage: string | null }[];
}

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

export const deleteTopics = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 4,
  decodeRequest(r, v) {
    const flex = v >= 4;
    const topics = v >= 6
      ? r.compactArray((r) => {
        const t = { name: r.compactNullableString(), topicId: r.uuid() };
        r.taggedFields();
        return t;
      })
      : r.array((r) => ({ name: r.string(flex) as string | null, topicId: NO_TOPIC_ID }), flex);
    const req = { topics, timeoutMs: r.int32() };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    const flex = v >= 4;
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.array(res.responses, (w, t) => {
      if (v >= 6) w.compactNullableString(t.name).uuid(t.topicId);
      else w.string(t.name ?? '', flex);
      w.int16(t.errorCode);
      if (v >= 5) w.compactNullableString(t.errorMessage);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker }) {
    const responses: DeleteTopicsResponse['responses'] = [];
    const deleted: string[] = [];
    for (const t of req.topics) {
      const byId = t.topicId !== NO_TOPIC_ID;
      const topic = byId ? broker.topics.getById(t.topicId) : broker.topics.get(t.name ?? '');
      if (!topic) {
        const errorCode = byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        const errorMessage = byId ? `Topic id ${t.topicId} does not exist.` : 'This server does not host this topic-partition.';
        responses.push({ name: t.name, topicId: t.topicId, errorCode, errorMessage });
        continue;
      }
      broker.topics.delete(topic.name);
      deleted.push(topic.name);
      responses.push({ name: topic.name, topicId: topic.id, errorCode: ErrorCode.NONE, errorMessage: null });
    }
    if (deleted.length > 0) await groupCoordinator(broker).deleteTopics(deleted);
    return { throttleTimeMs: 0, responses };
  },
});
