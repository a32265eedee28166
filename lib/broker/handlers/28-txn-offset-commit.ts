// TxnOffsetCommit (28), v0–v2. v1 = v0 (PRODUCER_FENCED from v2, KIP-588); v2 adds
// committed_leader_epoch. v3+ is flexible and carries generation_id / member_id /
// group_instance_id (KIP-447), so no group membership check applies to these versions.
import type { PartitionOffsetCommit } from '../groups/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { byTopic, fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface TxnOffsetCommitWireRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  offsets: PartitionOffsetCommit[];
}
export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const txnOffsetCommit = defineHandler<TxnOffsetCommitWireRequest, TxnOffsetCommitResponse>({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest(r, v) {
    const transactionalId = r.string(), groupId = r.string(), producerId = r.int64(), producerEpoch = r.int16();
    const offsets: PartitionOffsetCommit[] = [];
    r.array((r) => {
      const topic = r.string();
      r.array((r) => {
        const partition = r.int32(), offset = r.int64();
        const leaderEpoch = v >= 2 ? r.int32() : -1;
        offsets.push({ topic, partition, offset, leaderEpoch, metadata: r.nullableString() });
      });
    });
    return { transactionalId, groupId, producerId, producerEpoch, offsets };
  },
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode));
    });
  },
  handle(req, { broker, version }) {
    const known = (o: PartitionOffsetCommit) => o.partition >= 0 && (broker.topics.get(o.topic)?.partitions.length ?? 0) > o.partition;
    const errors = transactionCoordinator(broker).txnOffsetCommit({
      ...req, offsets: req.offsets.filter(known), generationId: -1, memberId: '', groupInstanceId: null,
    });
    const unknown = req.offsets.filter((o) => !known(o)).map((o) => ({ topic: o.topic, partition: o.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }));
    return { throttleTimeMs: 0, topics: byTopic([...errors, ...unknown].map((e) => ({ ...e, errorCode: fencedFor(version, e.errorCode) }))) };
  },
});
