// EndTxn (26), v0–v5. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3 is flexible; v4
// = v3 on the wire (TRANSACTION_ABORTABLE allowed, never sent here); v5 bumps the producer
// epoch at every transaction end and answers the producer id and epoch to go on with
// (KIP-890 part 2, offered with transaction.version 2). Commits or aborts: markers into every
// partition of the transaction, then (on commit) the transaction's offsets become the groups'
// committed offsets.
import { transactionCoordinator } from '../transactions/service.ts';
import { fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface EndTxnRequest { transactionalId: string; producerId: number; producerEpoch: number; committed: boolean }
export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** v5+: -1 / -1 before, and on errors. */
  producerId: number;
  producerEpoch: number;
}

export const endTxn = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const req = { transactionalId: r.string(flex), producerId: r.int64(), producerEpoch: r.int16(), committed: r.boolean() };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
    if (v >= 5) w.int64(res.producerId).int16(res.producerEpoch);
    if (v >= 3) w.taggedFields();
  },
  async handle(req, { broker, version }) {
    const coordinator = transactionCoordinator(broker);
    if (version >= 5) return { throttleTimeMs: 0, ...(await coordinator.endTxnBumping({ ...req, commit: req.committed })) };
    const errorCode = await coordinator.endTxn({ ...req, commit: req.committed });
    return { throttleTimeMs: 0, errorCode: fencedFor(version, errorCode), producerId: -1, producerEpoch: -1 };
  },
});
