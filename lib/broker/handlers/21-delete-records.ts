// DeleteRecords (21), v0–v2 (v1 = v0; v2 is flexible). Moves a partition's log start offset forward
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
  maxVersion: 2,
  firstFlexibleVersion: 2,
  decodeRequest(r, v) {
    const flex = v >= 2;
    const tags = () => { if (flex) r.taggedFields(); };
    const topics = r.array((r) => {
      const name = r.string(flex);
      const partitions = r.array((r) => { const p = { partition: r.int32(), offset: r.int64() }; tags(); return p; }, flex);
      tags();
      return { name, partitions };
    }, flex);
    const timeoutMs = r.int32();
    tags();
    return { topics, timeoutMs };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 2;
    w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name, flex);
      w.array(t.partitions, (w, p) => { w.int32(p.partition).int64(p.lowWatermark).int16(p.errorCode); if (flex) w.taggedFields(); }, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
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
