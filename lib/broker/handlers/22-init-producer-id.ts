// InitProducerId (22), v0–v1 (v1 = v0; v2 is flexible). Idempotent producers only: a
// transactional_id gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED, since transactions
// (AddPartitionsToTxn, EndTxn, markers) are not implemented.
import { defineHandler } from './types.ts';

export interface InitProducerIdRequest { transactionalId: string | null; transactionTimeoutMs: number }
export interface InitProducerIdResponse { throttleTimeMs: number; errorCode: number; producerId: number; producerEpoch: number }

const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;

/**
 * Producer ids start from the clock (ms × 1000), so ids handed out after a restart never
 * meet a persisted log's sequence state for an older producer with the same id.
 */
class ProducerIds {
  private next = Date.now() * 1000;
  allocate(): number { return this.next++; }
}

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
    if (req.transactionalId !== null) {
      return { throttleTimeMs: 0, errorCode: TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1, producerEpoch: -1 };
    }
    const ids = broker.service('producer-ids', () => new ProducerIds());
    return { throttleTimeMs: 0, errorCode: 0, producerId: ids.allocate(), producerEpoch: 0 };
  },
});
