// DeleteRecords (21), v0–v1 (v1 = v0). Moves a partition's log start offset forward
// (offset -1 = the high watermark); earlier offsets then answer OFFSET_OUT_OF_RANGE.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface DeleteRecordsRequest {
  topics: { name: string; partitions: { partition: number; offset: number }[] }[];
  timeoutMs: number;
}
export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; lowWatermark: number; errorCode: number }[] }[];
}

export const deleteRecords = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest: (r) => ({
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64() })) })),
    timeoutMs: r.int32(),
  }),
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int64(p.lowWatermark).int16(p.errorCode));
    });
  },
  handle(req, { broker }) {
    const topics = req.topics.map((t) => {
      const topic = broker.topics.get(t.name);
      const partitions = t.partitions.map(({ partition, offset }) => {
        const log = topic?.partitions[partition];
        if (!log) return { partition, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const target = offset === -1 ? log.nextOffset : offset;
        if (target < 0 || target > log.nextOffset) return { partition, lowWatermark: log.logStartOffset, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        if (target > log.logStartOffset) broker.topics.deleteRecordsBefore(log, target);
        return { partition, lowWatermark: log.logStartOffset, errorCode: ErrorCode.NONE };
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
});
