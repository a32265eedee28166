// AddPartitionsToTxn (24), v0–v5. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3 is
// flexible. v4 is the broker-to-broker form of KIP-890: a batch of transactions, each
// either added to or, with verify_only, checked (is every partition in the ongoing
// transaction?), with a top-level error code and results by transaction; v5 = v4 on the wire
// (TRANSACTION_ABORTABLE allowed, never sent here). v4+ is offered with transaction.version 2.
import { ErrorCode } from '../protocol/errors.ts';
import type { Reader } from '../protocol/reader.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { byTopic, fencedFor } from '../transactions/wire.ts';
import { writeTopicPartitionErrors } from '../protocol/partition-errors.ts';
import { defineHandler } from './types.ts';

type TopicErrors = { name: string; partitions: { partition: number; errorCode: number }[] }[];

export interface TxnPartitionsToAdd {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  /** v4+: only check the partitions are in the transaction. Always false before. */
  verifyOnly: boolean;
  topics: { name: string; partitions: number[] }[];
}
/** One transaction before v4 (a client's request), a batch from v4 (a broker's). */
export interface AddPartitionsToTxnRequest { transactions: TxnPartitionsToAdd[] }
export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  /** v4+ only. */
  errorCode: number;
  /** Before v4 only the first transaction's topics are written. */
  results: { transactionalId: string; topics: TopicErrors }[];
}

function readTopics(r: Reader, flex: boolean): { name: string; partitions: number[] }[] {
  return r.array((r) => {
    const t = { name: r.string(flex), partitions: r.array((r) => r.int32(), flex) };
    if (flex) r.taggedFields();
    return t;
  }, flex);
}

export const addPartitionsToTxn = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    if (v >= 4) {
      const transactions = r.compactArray((r) => {
        const transactionalId = r.compactString(), producerId = r.int64(), producerEpoch = r.int16(), verifyOnly = r.boolean();
        const t = { transactionalId, producerId, producerEpoch, verifyOnly, topics: readTopics(r, true) };
        r.taggedFields();
        return t;
      });
      r.taggedFields();
      return { transactions };
    }
    const transactionalId = r.string(flex), producerId = r.int64(), producerEpoch = r.int16();
    const topics = readTopics(r, flex);
    if (flex) r.taggedFields();
    return { transactions: [{ transactionalId, producerId, producerEpoch, verifyOnly: false, topics }] };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    w.int32(res.throttleTimeMs);
    if (v >= 4) {
      w.int16(res.errorCode);
      w.compactArray(res.results, (w, t) => {
        w.compactString(t.transactionalId);
        writeTopicPartitionErrors(w, t.topics, true);
        w.taggedFields();
      });
    } else {
      writeTopicPartitionErrors(w, res.results[0]?.topics ?? [], flex);
    }
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const coordinator = transactionCoordinator(broker);
    const results = req.transactions.map((t) => {
      const partitions = t.topics.flatMap((x) => x.partitions.map((partition) => ({ topic: x.name, partition })));
      const errors = t.verifyOnly ? coordinator.verifyPartitions({ ...t, partitions }) : coordinator.addPartitions({ ...t, partitions });
      return { transactionalId: t.transactionalId, topics: byTopic(errors.map((e) => ({ ...e, errorCode: fencedFor(version, e.errorCode) }))) };
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
  },
});
