// AddPartitionsToTxn (24), v0–v2. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3+ is
// flexible and v4+ batches transactions (KIP-890). Adds partitions to the id's transaction.
import { transactionCoordinator } from '../transactions/service.ts';
import { byTopic, fencedFor } from '../transactions/wire.ts';
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
  maxVersion: 2,
  decodeRequest: (r) => ({
    transactionalId: r.string(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })),
  }),
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode));
    });
  },
  handle(req, { broker, version }) {
    const partitions = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const errors = transactionCoordinator(broker).addPartitions({ ...req, partitions });
    return { throttleTimeMs: 0, results: byTopic(errors.map((e) => ({ ...e, errorCode: fencedFor(version, e.errorCode) }))) };
  },
});
