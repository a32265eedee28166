// OffsetDelete (47), v0 (KIP-496): removes a group's committed offsets for some partitions.
// An unknown group is GROUP_ID_NOT_FOUND; a classic group of another protocol type with
// members is NON_EMPTY_GROUP; a partition of a topic the group's members subscribe to answers
// GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset (classic and KIP-848 groups alike).
import { consumerGroups } from '../groups/consumer/service.ts';
import { groupCoordinator } from '../groups/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface OffsetDeleteRequest { groupId: string; topics: { name: string; partitions: number[] }[] }
export interface OffsetDeleteResponse {
  errorCode: number;
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const offsetDelete = defineHandler<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  decodeRequest: (r) => ({
    groupId: r.string(),
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })),
  }),
  encodeResponse(w, _v, res) {
    w.int16(res.errorCode).int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode));
    });
  },
  async handle(req, { broker }) {
    const classic = groupCoordinator(broker);
    const modern = consumerGroups(broker);
    const groupError = (errorCode: number) => ({ errorCode, throttleTimeMs: 0, topics: [] });
    let subscribed: (topic: string) => boolean;
    if (modern.group(req.groupId)) subscribed = (t) => modern.subscribesTo(req.groupId, t);
    else {
      const sub = classic.subscriptionOf(req.groupId);
      if (sub.kind === 'unknown') return groupError(ErrorCode.GROUP_ID_NOT_FOUND);
      if (sub.kind === 'other-protocol') return groupError(ErrorCode.NON_EMPTY_GROUP);
      subscribed = sub.kind === 'consumer' ? (t) => sub.topics.has(t) : () => false;
    }
    const doomed: { topic: string; partition: number }[] = [];
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((partition) => {
        if (subscribed(t.name)) return { partition, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        const topic = broker.topics.get(t.name);
        if (!topic || partition < 0 || partition >= topic.partitions.length) return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        doomed.push({ topic: t.name, partition });
        return { partition, errorCode: ErrorCode.NONE };
      }),
    }));
    await classic.offsets.deletePartitions(req.groupId, doomed);
    return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics };
  },
});
