// Produce (0), v3–v12. v3 is the first with magic-2 batches and transactional_id; v5 adds
// log_start_offset to partitions; v6/v7 = v5; v8 adds record_errors and error_message (left
// empty/null); v9 is flexible (compact records); v10 adds a current-leader tag sent only with
// NOT_LEADER errors, which one node never has, so v10 = v9 here; v11 = v10 on the wire (it
// allows TRANSACTION_ABORTABLE, KIP-890 part 1, never sent here); v12 = v11 on the wire, but a
// transactional batch adds its partition to the transaction itself (KIP-890 part 2, offered
// with transaction.version 2); v13 names each topic by its id instead of its name (KIP-516), in
// the request and the response, and an unknown id answers UNKNOWN_TOPIC_ID.
// acks 0 gets no response; 1 and -1 are the same on one node. Idempotent batches are
// sequence-checked per partition (KIP-98). A batch larger than the topic's max.message.bytes
// (else message.max.bytes) fails its whole partition with MESSAGE_TOO_LARGE before anything
// of it is appended; other partitions go on, as Kafka's per-partition append does.
// Transactional batches must come from the id's current epoch into a partition added to its
// ongoing transaction; control batches are the coordinator's alone (INVALID_RECORD).
import { ErrorCode } from '../protocol/errors.ts';
import { BatchTooLargeError, CorruptBatchError, isControl, isTransactional, splitBatches } from '../protocol/records.ts';
import { transactionCoordinator } from '../transactions/service.ts';
import { maxMessageBytes } from '../storage/topic-config.ts';
import { defineHandler, NO_RESPONSE } from './types.ts';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  /** From v13 topics come by id and `name` is ''; before, topicId is the zero UUID. */
  topics: { name: string; topicId: string; partitions: { partition: number; records: Buffer | null }[] }[];
}
export interface ProducePartitionResponse {
  partition: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}
export interface ProduceResponse {
  topics: { name: string; topicId: string; partitions: ProducePartitionResponse[] }[];
  throttleTimeMs: number;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export const produce = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 13,
  firstFlexibleVersion: 9,
  decodeRequest(r, v) {
    const flex = v >= 9;
    const transactionalId = r.nullableString(flex), acks = r.int16(), timeoutMs = r.int32();
    const topics = r.array((r) => {
      const name = v >= 13 ? '' : r.string(flex);
      const topicId = v >= 13 ? r.uuid() : ZERO_UUID;
      const partitions = r.array((r) => {
        const p = { partition: r.int32(), records: r.nullableBytes(flex) };
        if (flex) r.taggedFields();
        return p;
      }, flex);
      if (flex) r.taggedFields();
      return { name, topicId, partitions };
    }, flex);
    if (flex) r.taggedFields();
    return { transactionalId, acks, timeoutMs, topics };
  },
  encodeResponse(w, version, res) {
    const flex = version >= 9;
    w.array(res.topics, (w, t) => {
      if (version >= 13) w.uuid(t.topicId);
      else w.string(t.name, flex);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
        if (version >= 5) w.int64(p.logStartOffset);
        if (version >= 8) w.array([], () => {}, flex).nullableString(null, flex); // record_errors, error_message
        if (flex) w.taggedFields();
      }, flex);
      if (flex) w.taggedFields();
    }, flex);
    w.int32(res.throttleTimeMs);
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const badAcks = req.acks !== 0 && req.acks !== 1 && req.acks !== -1;
    let appended = false;
    const topics = req.topics.map((t) => {
      const byId = version >= 13;
      const topic = byId ? broker.topics.getById(t.topicId) : broker.topics.get(t.name);
      const partitions = t.partitions.map((p): ProducePartitionResponse => {
        const result = (errorCode: number, baseOffset = -1): ProducePartitionResponse =>
          ({ partition: p.partition, errorCode, baseOffset, logAppendTimeMs: -1, logStartOffset: log?.logStartOffset ?? -1 });
        const log = topic?.partitions[p.partition];
        if (badAcks) return result(ErrorCode.INVALID_REQUIRED_ACKS);
        if (!topic && byId) return result(ErrorCode.UNKNOWN_TOPIC_ID);
        if (!topic || !log) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        let batches;
        try {
          batches = splitBatches(p.records ?? Buffer.alloc(0), maxMessageBytes(topic, broker.config));
        } catch (err) {
          if (err instanceof CorruptBatchError) return result(ErrorCode.CORRUPT_MESSAGE);
          if (err instanceof BatchTooLargeError) return result(ErrorCode.MESSAGE_TOO_LARGE);
          throw err;
        }
        if (batches.length === 0) return result(ErrorCode.INVALID_RECORD);
        for (const { header } of batches) {
          if (isControl(header)) return result(ErrorCode.INVALID_RECORD);
          if (!isTransactional(header)) continue;
          const errorCode = transactionCoordinator(broker).verifyProduce({
            transactionalId: req.transactionalId, producerId: header.producerId, producerEpoch: header.producerEpoch,
            topic: topic.name, partition: p.partition, implicitAdd: version >= 12,
          });
          if (errorCode !== ErrorCode.NONE) return result(errorCode);
        }
        let first = -1;
        for (const b of batches) {
          const r = log.append(b.bytes, b.header);
          if (r.kind === 'rejected') return result(r.errorCode);
          if (r.kind === 'appended') appended = true;
          if (first < 0) first = r.baseOffset;
        }
        return result(ErrorCode.NONE, first);
      });
      return { name: t.name, topicId: t.topicId, partitions };
    });
    if (appended) broker.topics.notify();
    return req.acks === 0 ? NO_RESPONSE : { topics, throttleTimeMs: 0 };
  },
});
