// AddOffsetsToTxn (25), v0–v2. v1 = v0; v2 may answer PRODUCER_FENCED (KIP-588); v3+ is
// flexible. Adds a consumer group's offsets to the id's transaction (TxnOffsetCommit follows).
import { transactionCoordinator } from '../transactions/service.ts';
import { fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface AddOffsetsToTxnRequest { transactionalId: string; producerId: number; producerEpoch: number; groupId: string }
export interface AddOffsetsToTxnResponse { throttleTimeMs: number; errorCode: number }

export const addOffsetsToTxn = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: (r) => ({ transactionalId: r.string(), producerId: r.int64(), producerEpoch: r.int16(), groupId: r.string() }),
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode);
  },
  handle(req, { broker, version }) {
    return { throttleTimeMs: 0, errorCode: fencedFor(version, transactionCoordinator(broker).addOffsets(req)) };
  },
});
