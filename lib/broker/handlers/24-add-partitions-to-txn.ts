// AddPartitionsToTxn (24), v0–v3. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3 is
// flexible. v4+ batches transactions for broker-to-broker verification (KIP-890) and is not
// implemented. Adds partitions to the id's transaction.
import { transactionCoordinator } from '../transactions/service.ts';
import { byTopic, fencedFor } from '../transactions/wire.ts';
import { writeTopicPartitionErrors } from '../protocol/partition-errors.ts';
import { defineHandler } from './types.ts';

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: { name: string; partitions: number[] }[];
}
export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export const addPartitionsToTxn = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const transactionalId = r.string(flex), producerId = r.int64(), producerEpoch = r.int16();
    const topics = r.array((r) => {
      const t = { name: r.string(flex), partitions: r.array((r) => r.int32(), flex) };
      if (flex) r.taggedFields();
      return t;
    }, flex);
    if (flex) r.taggedFields();
    return { transactionalId, producerId, producerEpoch, topics };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    w.int32(res.throttleTimeMs);
    writeTopicPartitionErrors(w, res.results, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const partitions = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const errors = transactionCoordinator(broker).addPartitions({ ...req, partitions });
    return { throttleTimeMs: 0, results: byTopic(errors.map((e) => ({ ...e, errorCode: fencedFor(version, e.errorCode) }))) };
  },
});
