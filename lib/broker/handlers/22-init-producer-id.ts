// InitProducerId (22), v0–v1 (v1 = v0; v2 is flexible). Without a transactional_id: a fresh
// idempotent producer id, epoch 0. With one: the transaction coordinator's producer id for
// it under a bumped epoch, aborting the previous instance's ongoing transaction (KIP-98).
import { ErrorCode } from '../protocol/errors.ts';
import { producerIds } from '../transactions/producer-ids.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { defineHandler } from './types.ts';

export interface InitProducerIdRequest { transactionalId: string | null; transactionTimeoutMs: number }
export interface InitProducerIdResponse { throttleTimeMs: number; errorCode: number; producerId: number; producerEpoch: number }

export const initProducerId = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest: (r) => ({ transactionalId: r.nullableString(), transactionTimeoutMs: r.int32() }),
  encodeResponse(w, _version, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
  handle(req, { broker }) {
    if (req.transactionalId === null) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: producerIds(broker).allocate(), producerEpoch: 0 };
    }
    const r = transactionCoordinator(broker).initProducerId({ transactionalId: req.transactionalId, transactionTimeoutMs: req.transactionTimeoutMs });
    if (r.kind === 'error') return { throttleTimeMs: 0, errorCode: r.errorCode, producerId: -1, producerEpoch: -1 };
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: r.producerId, producerEpoch: r.producerEpoch };
  },
});
