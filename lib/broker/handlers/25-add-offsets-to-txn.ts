// AddOffsetsToTxn (25), v0–v4. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3 is
// flexible; v4 = v3 on the wire (TRANSACTION_ABORTABLE allowed, KIP-890; never sent here). Adds a consumer
// group's offsets to the id's transaction (TxnOffsetCommit follows).
import { transactionCoordinator } from '../transactions/service.ts';
import { fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface AddOffsetsToTxnRequest { transactionalId: string; producerId: number; producerEpoch: number; groupId: string }
export interface AddOffsetsToTxnResponse { throttleTimeMs: number; errorCode: number }

export const addOffsetsToTxn = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const req = { transactionalId: r.string(flex), producerId: r.int64(), producerEpoch: r.int16(), groupId: r.string(flex) };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
    if (v >= 3) w.taggedFields();
  },
  handle(req, { broker, version }) {
    return { throttleTimeMs: 0, errorCode: fencedFor(version, transactionCoordinator(broker).addOffsets(req)) };
  },
});
