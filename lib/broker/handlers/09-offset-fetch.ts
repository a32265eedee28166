// OffsetFetch (9), v1–v8. v2: topics may be null (= all the group committed) and a
// top-level error_code; v3 adds throttle_time_ms; v4 = v3; v5 adds committed_leader_epoch;
// v6 is flexible; v7 adds require_stable: a partition whose offset an unfinished transaction
// holds answers UNSTABLE_OFFSET_COMMIT (KIP-447), so the client retries; v8 batches groups.
// v9 adds member_id / member_epoch, checked against a KIP-848 consumer group (UNKNOWN_MEMBER_ID,
// STALE_MEMBER_EPOCH; epoch -1 with no member id is an admin fetch); v10 names topics by id.
// Unknown partitions answer -1.
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

export interface OffsetFetchGroupRequest {
  groupId: string;
  /** v9+; null / -1 otherwise (no member check). */
  memberId: string | null;
  memberEpoch: number;
  /** null = every partition the group committed (v2+). At v10 `name` is '' and topicId names the topic. */
  topics: { name: string; topicId: string; partitions: number[] }[] | null;
}
/** Before v8 exactly one group. */
export interface OffsetFetchWireRequest { groups: OffsetFetchGroupRequest[]; requireStable: boolean }
export interface OffsetFetchPartition { partition: number; offset: number; leaderEpoch: number; metadata: string | null; errorCode: number }
export interface OffsetFetchGroupResponse {
  groupId: string;
  topics: { name: string; topicId: string; partitions: OffsetFetchPartition[] }[];
  errorCode: number;
}
export interface OffsetFetchResponse { throttleTimeMs: number; groups: OffsetFetchGroupResponse[] }

function readTopics(r: Reader, v: number, flex: boolean): OffsetFetchGroupRequest['topics'] {
  const topic = (r: Reader) => {
    const name = v <= 9 ? r.string(flex) : '';
    const topicId = v >= 10 ? r.uuid() : NO_TOPIC_ID;
    const t = { name, topicId, partitions: r.array((r) => r.int32(), flex) };
    if (flex) r.taggedFields();
    return t;
  };
  return v >= 2 ? r.nullableArray(topic, flex) : r.array(topic);
}

function writeTopics(w: Writer, v: number, topics: OffsetFetchGroupResponse['topics']): void {
  const flex = v >= 6;
  w.array(topics, (w, t) => {
    if (v <= 9) w.string(t.name, flex);
    else w.uuid(t.topicId);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int64(p.offset);
      if (v >= 5) w.int32(p.leaderEpoch);
      w.nullableString(p.metadata, flex).int16(p.errorCode);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  }, flex);
}

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

function fetchGroup(broker: BrokerState, req: OffsetFetchGroupRequest, requireStable: boolean, version: number): OffsetFetchGroupResponse {
  const memberError = consumerGroups(broker).validateFetch(req.groupId, req.memberId, req.memberEpoch);
  if (memberError !== ErrorCode.NONE) return { groupId: req.groupId, errorCode: memberError, topics: [] };
  const byId = version >= 10;
  // At v10 an unknown topic id answers UNKNOWN_TOPIC_ID for each of its partitions.
  const unknownIds = new Map<string, number[]>();
  const wanted = req.topics === null ? null : req.topics.flatMap((t) => {
    const name = byId ? broker.topics.getById(t.topicId)?.name : t.name;
    if (name === undefined) {
      unknownIds.set(t.topicId, t.partitions);
      return [];
    }
    return t.partitions.map((partition) => ({ topic: name, partition }));
  });
  const result = groupCoordinator(broker).fetchOffsets(req.groupId, wanted);
  const txns = requireStable ? transactionCoordinator(broker) : undefined;
  const topics = new Map<string, OffsetFetchPartition[]>();
  for (const p of result.partitions) {
    let list = topics.get(p.topic);
    if (!list) topics.set(p.topic, (list = []));
    const unstable = txns?.hasPendingOffset(req.groupId, p.topic, p.partition) ?? false;
    list.push(unstable
      ? { partition: p.partition, offset: -1, leaderEpoch: -1, metadata: null, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
      : { partition: p.partition, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata, errorCode: p.errorCode });
  }
  const out = [...topics].flatMap(([name, partitions]) => {
    const topicId = byId ? broker.topics.get(name)?.id : NO_TOPIC_ID;
    // A topic deleted since the commit has no id to answer with at v10.
    return topicId === undefined ? [] : [{ name: byId ? '' : name, topicId, partitions }];
  });
  for (const [topicId, ps] of unknownIds) {
    out.push({ name: '', topicId, partitions: ps.map((partition) => ({ partition, offset: -1, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNKNOWN_TOPIC_ID })) });
  }
  return { groupId: req.groupId, errorCode: result.errorCode, topics: out };
}

export const offsetFetch = defineHandler<OffsetFetchWireRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 10,
  firstFlexibleVersion: 6,
  decodeRequest(r, v) {
    const flex = v >= 6;
    let groups: OffsetFetchGroupRequest[];
    if (v >= 8) {
      groups = r.compactArray((r) => {
        const groupId = r.compactString();
        const memberId = v >= 9 ? r.compactNullableString() : null;
        const memberEpoch = v >= 9 ? r.int32() : -1;
        const g = { groupId, memberId, memberEpoch, topics: readTopics(r, v, flex) };
        r.taggedFields();
        return g;
      });
    } else {
      groups = [{ groupId: r.string(flex), memberId: null, memberEpoch: -1, topics: readTopics(r, v, flex) }];
    }
    const requireStable = v >= 7 ? r.boolean() : false;
    if (flex) r.taggedFields();
    return { groups, requireStable };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 6;
    if (v >= 3) w.int32(res.throttleTimeMs);
    if (v >= 8) {
      w.compactArray(res.groups, (w, g) => {
        w.compactString(g.groupId);
        writeTopics(w, v, g.topics);
        w.int16(g.errorCode).taggedFields();
      });
    } else {
      const g = res.groups[0];
      if (!g) throw new RangeError(`OffsetFetch v${v} needs exactly one group`);
      writeTopics(w, v, g.topics);
      if (v >= 2) w.int16(g.errorCode);
    }
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => fetchGroup(broker, g, req.requireStable, version)) };
  },
});
