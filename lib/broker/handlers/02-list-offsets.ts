// ListOffsets (2), v1–v3. v1: one timestamp/offset pair per partition (v0's offset
// arrays are not implemented); v2: isolation_level, throttle_time_ms; v3 = v2.
// timestamp -1 = latest (log end; the last stable offset for isolation_level 1,
// read_committed), -2 = earliest, else the first offset with ts >= it.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partition: number; timestamp: number }[] }[];
}
export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number; timestamp: number; offset: number }[] }[];
}

export const LATEST = -1;
export const EARLIEST = -2;

export const listOffsets = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 3,
  decodeRequest: (r, v) => ({
    replicaId: r.int32(),
    isolationLevel: v >= 2 ? r.int8() : 0,
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partition: r.int32(), timestamp: r.int64() })) })),
  }),
  encodeResponse(w, v, res) {
    if (v >= 2) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
    });
  },
  handle(req, { broker }) {
    const topics = req.topics.map((t) => {
      const topic = broker.topics.get(t.name);
      const partitions = t.partitions.map(({ partition, timestamp }) => {
        const log = topic?.partitions[partition];
        if (!log) return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
        if (timestamp === LATEST) {
          return { partition, errorCode: 0, timestamp: -1, offset: req.isolationLevel === 1 ? log.lastStableOffset : log.nextOffset };
        }
        if (timestamp === EARLIEST) return { partition, errorCode: 0, timestamp: -1, offset: log.logStartOffset };
        const found = log.offsetForTimestamp(timestamp);
        return { partition, errorCode: 0, timestamp: found?.timestamp ?? -1, offset: found?.offset ?? -1 };
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
});
