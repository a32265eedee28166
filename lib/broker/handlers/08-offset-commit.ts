// OffsetCommit (8), v0–v7. v1 adds generation_id, member_id and a per-partition
// commit_timestamp; v2–v4 carry retention_time_ms instead (ignored: offsets do not expire
// here); v3 adds throttle_time_ms; v5 drops retention; v6 adds committed_leader_epoch;
// v7 adds group_instance_id; v8 is flexible. v9+ (KIP-848 member epochs) is not implemented.
// v0 commits as a "simple" (generation -1) consumer.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import type { PartitionOffsetCommit } from '../groups/types.ts';
import { writeTopicPartitionErrors } from '../protocol/partition-errors.ts';
import { defineHandler } from './types.ts';

export interface OffsetCommitWireRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  partitions: PartitionOffsetCommit[];
}
export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const offsetCommit = defineHandler<OffsetCommitWireRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 8,
  firstFlexibleVersion: 8,
  decodeRequest(r, v) {
    const flex = v >= 8;
    const groupId = r.string(flex);
    const generationId = v >= 1 ? r.int32() : -1;
    const memberId = v >= 1 ? r.string(flex) : '';
    const groupInstanceId = v >= 7 ? r.nullableString(flex) : null;
    if (v >= 2 && v <= 4) r.int64(); // retention_time_ms
    const partitions: PartitionOffsetCommit[] = [];
    r.array((r) => {
      const topic = r.string(flex);
      r.array((r) => {
        const partition = r.int32();
        const offset = r.int64();
        const leaderEpoch = v >= 6 ? r.int32() : -1;
        if (v === 1) r.int64(); // commit_timestamp: the broker's clock is used instead
        partitions.push({ topic, partition, offset, leaderEpoch, metadata: r.nullableString(flex) });
        if (flex) r.taggedFields();
      }, flex);
      if (flex) r.taggedFields();
    }, flex);
    if (flex) r.taggedFields();
    return { groupId, generationId, memberId, groupInstanceId, partitions };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 8;
    if (v >= 3) w.int32(res.throttleTimeMs);
    writeTopicPartitionErrors(w, res.topics, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker }) {
    // Partitions the broker does not have are refused before the coordinator sees them.
    const known = (p: PartitionOffsetCommit) => (broker.topics.get(p.topic)?.partitions.length ?? 0) > p.partition && p.partition >= 0;
    const results = await groupCoordinator(broker).commitOffsets({ ...req, partitions: req.partitions.filter(known) });
    const errors = new Map(results.map((r) => [`${r.topic}\u0000${r.partition}`, r.errorCode]));
    const topics = new Map<string, { partition: number; errorCode: number }[]>();
    for (const p of req.partitions) {
      const errorCode = errors.get(`${p.topic}\u0000${p.partition}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      let list = topics.get(p.topic);
      if (!list) topics.set(p.topic, (list = []));
      list.push({ partition: p.partition, errorCode });
    }
    return { throttleTimeMs: 0, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
  },
});
