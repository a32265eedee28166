// OffsetCommit (8), v0–v10. v1 adds generation_id, member_id and a per-partition
// commit_timestamp; v2–v4 carry retention_time_ms instead (ignored: offsets do not expire
// here); v3 adds throttle_time_ms; v5 drops retention; v6 adds committed_leader_epoch;
// v7 adds group_instance_id; v8 is flexible; v9 = v8 usable by KIP-848 consumer groups
// (generation = member epoch: STALE_MEMBER_EPOCH / UNKNOWN_MEMBER_ID, and UNSUPPORTED_VERSION below v9;
// an unknown group with a generation answers GROUP_ID_NOT_FOUND); v10 names topics by id
// (UNKNOWN_TOPIC_ID). v0 commits as a "simple" (generation -1) consumer.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import type { PartitionError, PartitionOffsetCommit } from '../groups/types.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

export interface OffsetCommitTopicRequest {
  /** '' at v10 (topics by id). */
  name: string;
  /** ZERO_UUID before v10. */
  topicId: string;
  partitions: { partition: number; offset: number; leaderEpoch: number; metadata: string | null }[];
}
export interface OffsetCommitWireRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: OffsetCommitTopicRequest[];
}
export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; topicId: string; partitions: { partition: number; errorCode: number }[] }[];
}

const NO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

async function commit(broker: BrokerState, req: OffsetCommitWireRequest, partitions: PartitionOffsetCommit[], version: number): Promise<PartitionError[]> {
  const classic = groupCoordinator(broker);
  const cg = consumerGroups(broker);
  if (cg.group(req.groupId)) {
    const errorCode = cg.validateCommit(req.groupId, req.memberId, req.generationId, { version });
    if (errorCode !== ErrorCode.NONE) return partitions.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    return classic.storeOffsets(req.groupId, partitions);
  }
  return classic.commitOffsets({ ...req, partitions }, { unknownGroupError: version >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : undefined });
}

export const offsetCommit = defineHandler<OffsetCommitWireRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 10,
  firstFlexibleVersion: 8,
  decodeRequest(r, v) {
    const flex = v >= 8;
    const groupId = r.string(flex);
    const generationId = v >= 1 ? r.int32() : -1;
    const memberId = v >= 1 ? r.string(flex) : '';
    const groupInstanceId = v >= 7 ? r.nullableString(flex) : null;
    if (v >= 2 && v <= 4) r.int64(); // retention_time_ms
    const topics = r.array((r): OffsetCommitTopicRequest => {
      const name = v <= 9 ? r.string(flex) : '';
      const topicId = v >= 10 ? r.uuid() : NO_TOPIC_ID;
      const partitions = r.array((r) => {
        const partition = r.int32();
        const offset = r.int64();
        const leaderEpoch = v >= 6 ? r.int32() : -1;
        if (v === 1) r.int64(); // commit_timestamp: the broker's clock is used instead
        const p = { partition, offset, leaderEpoch, metadata: r.nullableString(flex) };
        if (flex) r.taggedFields();
        return p;
      }, flex);
      if (flex) r.taggedFields();
      return { name, topicId, partitions };
    }, flex);
    if (flex) r.taggedFields();
    return { groupId, generationId, memberId, groupInstanceId, topics };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 8;
    if (v >= 3) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      if (v <= 9) w.string(t.name, flex);
      else w.uuid(t.topicId);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode);
        if (flex) w.taggedFields();
      }, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker, version }) {
    // Topics are resolved by id at v10; unknown ids and partitions are refused before the coordinator sees them.
    const resolved = req.topics.map((t) => ({ t, topic: version >= 10 ? broker.topics.getById(t.topicId) : broker.topics.get(t.name) }));
    const known: PartitionOffsetCommit[] = [];
    for (const { t, topic } of resolved) {
      if (!topic) continue;
      for (const p of t.partitions) if (p.partition >= 0 && p.partition < topic.partitions.length) known.push({ topic: topic.name, ...p });
    }
    const results = await commit(broker, req, known, version);
    const errors = new Map(results.map((r) => [`${r.topic}\u0000${r.partition}`, r.errorCode]));
    return {
      throttleTimeMs: 0,
      topics: resolved.map(({ t, topic }) => ({
        name: t.name,
        topicId: t.topicId,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          errorCode: !topic ? (version >= 10 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
            : errors.get(`${topic.name}\u0000${p.partition}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      })),
    };
  },
});
