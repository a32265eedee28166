// EndTxn (26), v0–v4. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3 is flexible; v4
// = v3 on the wire (TRANSACTION_ABORTABLE allowed, never sent here). v5, an epoch bump per
// transaction (KIP-890 part 2), is not implemented. Commits or aborts: markers into every
// partition of the transaction, then (on commit) the transaction's offsets become the groups'
// committed offsets.
import { transactionCoordinator } from '../transactions/service.ts';
import { fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface EndTxnRequest { transactionalId: string; producerId: number; producerEpoch: number; committed: boolean }
export interface EndTxnResponse { throttleTimeMs: number; errorCode: number }

export const endTxn = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const req = { transactionalId: r.string(flex), producerId: r.int64(), producerEpoch: r.int16(), committed: r.boolean() };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
    if (v >= 3) w.taggedFields();
  },
  async handle(req, { broker, version }) {
    const errorCode = await transactionCoordinator(broker).endTxn({ ...req, commit: req.committed });
    return { throttleTimeMs: 0, errorCode: fencedFor(version, errorCode) };
  },
});
