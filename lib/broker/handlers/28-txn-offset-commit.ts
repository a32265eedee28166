// TxnOffsetCommit (28), v0–v5. v1 = v0 (PRODUCER_FENCED from v2, KIP-588); v2 adds
// committed_leader_epoch; v3 is flexible and carries generation_id / member_id /
// group_instance_id (KIP-447), so the commit is refused unless the member is the group's
// current one (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID). Before v3 any
// producer may commit. v4 = v3 on the wire (TRANSACTION_ABORTABLE allowed, never sent here);
// v5 = v4 on the wire, but the commit adds its group to the transaction itself (the implicit
// AddOffsetsToTxn of KIP-890 part 2, offered with transaction.version 2).
import type { PartitionOffsetCommit } from '../groups/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { byTopic, fencedFor } from '../transactions/wire.ts';
import { writeTopicPartitionErrors } from '../protocol/partition-errors.ts';
import { defineHandler } from './types.ts';

export interface TxnOffsetCommitWireRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  /** -1, '' and null before v3: no membership to check. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
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
  maxVersion: 5,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const transactionalId = r.string(flex), groupId = r.string(flex), producerId = r.int64(), producerEpoch = r.int16();
    const generationId = flex ? r.int32() : -1;
    const memberId = flex ? r.compactString() : '';
    const groupInstanceId = flex ? r.compactNullableString() : null;
    const offsets: PartitionOffsetCommit[] = [];
    r.array((r) => {
      const topic = r.string(flex);
      r.array((r) => {
        const partition = r.int32(), offset = r.int64();
        const leaderEpoch = v >= 2 ? r.int32() : -1;
        offsets.push({ topic, partition, offset, leaderEpoch, metadata: r.nullableString(flex) });
        if (flex) r.taggedFields();
      }, flex);
      if (flex) r.taggedFields();
    }, flex);
    if (flex) r.taggedFields();
    return { transactionalId, groupId, producerId, producerEpoch, generationId, memberId, groupInstanceId, offsets };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    w.int32(res.throttleTimeMs);
    writeTopicPartitionErrors(w, res.topics, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const known = (o: PartitionOffsetCommit) => o.partition >= 0 && (broker.topics.get(o.topic)?.partitions.length ?? 0) > o.partition;
    const errors = transactionCoordinator(broker).txnOffsetCommit({ ...req, offsets: req.offsets.filter(known), implicitAddOffsets: version >= 5 });
    const unknown = req.offsets.filter((o) => !known(o)).map((o) => ({ topic: o.topic, partition: o.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }));
    return { throttleTimeMs: 0, topics: byTopic([...errors, ...unknown].map((e) => ({ ...e, errorCode: fencedFor(version, e.errorCode) }))) };
  },
});
