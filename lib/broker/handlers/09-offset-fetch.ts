// OffsetFetch (9), v1–v8. v2: topics may be null (= all the group committed) and a
// top-level error_code; v3 adds throttle_time_ms; v4 = v3; v5 adds committed_leader_epoch;
// v6 is flexible; v7 adds require_stable: a partition whose offset an unfinished transaction
// holds answers UNSTABLE_OFFSET_COMMIT (KIP-447), so the client retries; v8 batches groups.
// v9+ (KIP-848 member epochs) is not implemented. Unknown partitions answer -1.
import { groupCoordinator } from '../groups/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

export interface OffsetFetchGroupRequest {
  groupId: string;
  /** null = every partition the group committed (v2+). */
  topics: { name: string; partitions: number[] }[] | null;
}
/** Before v8 exactly one group. */
export interface OffsetFetchWireRequest { groups: OffsetFetchGroupRequest[]; requireStable: boolean }
export interface OffsetFetchPartition { partition: number; offset: number; leaderEpoch: number; metadata: string | null; errorCode: number }
export interface OffsetFetchGroupResponse {
  groupId: string;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
  errorCode: number;
}
export interface OffsetFetchResponse { throttleTimeMs: number; groups: OffsetFetchGroupResponse[] }

function readTopics(r: Reader, v: number, flex: boolean): OffsetFetchGroupRequest['topics'] {
  const topic = (r: Reader) => {
    const t = { name: r.string(flex), partitions: r.array((r) => r.int32(), flex) };
    if (flex) r.taggedFields();
    return t;
  };
  return v >= 2 ? r.nullableArray(topic, flex) : r.array(topic);
}

function writeTopics(w: Writer, v: number, topics: OffsetFetchGroupResponse['topics']): void {
  const flex = v >= 6;
  w.array(topics, (w, t) => {
    w.string(t.name, flex);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int64(p.offset);
      if (v >= 5) w.int32(p.leaderEpoch);
      w.nullableString(p.metadata, flex).int16(p.errorCode);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  }, flex);
}

function fetchGroup(broker: BrokerState, req: OffsetFetchGroupRequest, requireStable: boolean): OffsetFetchGroupResponse {
  const wanted = req.topics === null ? null
    : req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
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
  return { groupId: req.groupId, errorCode: result.errorCode, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
}

export const offsetFetch = defineHandler<OffsetFetchWireRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 8,
  firstFlexibleVersion: 6,
  decodeRequest(r, v) {
    const flex = v >= 6;
    let groups: OffsetFetchGroupRequest[];
    if (v >= 8) {
      groups = r.compactArray((r) => {
        const g = { groupId: r.compactString(), topics: readTopics(r, v, flex) };
        r.taggedFields();
        return g;
      });
    } else {
      groups = [{ groupId: r.string(flex), topics: readTopics(r, v, flex) }];
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
  handle(req, { broker }) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => fetchGroup(broker, g, req.requireStable)) };
  },
});
