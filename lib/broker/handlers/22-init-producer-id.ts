// InitProducerId (22), v0–v5. v1 = v0; v2 is flexible; v3 adds producer_id/epoch so a
// producer can re-init after an error while still current (KIP-360); v4 may answer
// PRODUCER_FENCED (KIP-588), older versions get INVALID_PRODUCER_EPOCH; v5 = v4 on the wire
// (TRANSACTION_ABORTABLE allowed, KIP-890; never sent here). Without a
// transactional_id: a fresh idempotent producer id, epoch 0. With one: the coordinator's
// producer id under a bumped epoch, aborting the previous instance's transaction (KIP-98).
import { ErrorCode } from '../protocol/errors.ts';
import { producerIds } from '../transactions/producer-ids.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { fencedFor } from '../transactions/wire.ts';
import { defineHandler } from './types.ts';

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** -1 / -1 before v3 and for a producer with no previous id. */
  producerId: number;
  producerEpoch: number;
}
export interface InitProducerIdResponse { throttleTimeMs: number; errorCode: number; producerId: number; producerEpoch: number }

export const initProducerId = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 2,
  decodeRequest(r, v) {
    const flex = v >= 2;
    const transactionalId = r.nullableString(flex), transactionTimeoutMs = r.int32();
    const producerId = v >= 3 ? r.int64() : -1, producerEpoch = v >= 3 ? r.int16() : -1;
    if (flex) r.taggedFields();
    return { transactionalId, transactionTimeoutMs, producerId, producerEpoch };
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
    if (v >= 2) w.taggedFields();
  },
  handle(req, { broker, version }) {
    if (req.transactionalId === null) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: producerIds(broker).allocate(), producerEpoch: 0 };
    }
    const r = transactionCoordinator(broker).initProducerId({
      transactionalId: req.transactionalId,
      transactionTimeoutMs: req.transactionTimeoutMs,
      expected: { producerId: req.producerId, producerEpoch: req.producerEpoch },
    });
    if (r.kind === 'error') return { throttleTimeMs: 0, errorCode: fencedFor(version, r.errorCode, 4), producerId: -1, producerEpoch: -1 };
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: r.producerId, producerEpoch: r.producerEpoch };
  },
});
