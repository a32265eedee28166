// ListOffsets (2), v1–v11. v1: one timestamp/offset pair per partition (v0's offset
// arrays are not implemented); v2: isolation_level, throttle_time_ms; v3 = v2; v4: current
// leader epoch (ignored: no epochs, Metadata reports -1) and a leader epoch answered as -1;
// v5 = v4; v6 is flexible; v7 allows -3 (max timestamp, KIP-734); v8 -4 (earliest local
// offset, KIP-405); v9 -5 (latest tiered offset, KIP-1005); v10 adds timeout_ms (KIP-1075,
// ignored: every answer is local); v11 allows -6 (earliest pending upload, KIP-1023).
// timestamp -1 = latest (log end; the last stable offset for isolation_level 1,
// read_committed), -2 = earliest, else the first offset with ts >= it.
import { ErrorCode } from '../protocol/errors.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import { defineHandler } from './types.ts';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partition: number; currentLeaderEpoch: number; timestamp: number }[] }[];
}
export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number; timestamp: number; offset: number }[] }[];
}

export const LATEST = -1;
export const EARLIEST = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL = -4;
/** -5 and -6 ask about remote (tiered) storage, which this broker has none of. */
const LATEST_TIERED = -5;
const EARLIEST_PENDING_UPLOAD = -6;

const NOT_FOUND = { timestamp: -1, offset: -1 };

/** One partition's answer for a timestamp, before the read_committed cut-off. */
function lookup(log: PartitionLog, timestamp: number): { timestamp: number; offset: number } {
  switch (timestamp) {
    // All local with no tiered storage: the local log starts where the log does.
    case EARLIEST_LOCAL: return { timestamp: -1, offset: log.logStartOffset };
    // Kafka answers -1 for both when remote storage is off for the topic.
    case LATEST_TIERED:
    case EARLIEST_PENDING_UPLOAD: return NOT_FOUND;
    case MAX_TIMESTAMP: return log.maxTimestampOffset() ?? NOT_FOUND;
    default: return log.offsetForTimestamp(timestamp) ?? NOT_FOUND;
  }
}

export const listOffsets = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 11,
  firstFlexibleVersion: 6,
  decodeRequest(r, v) {
    const flex = v >= 6;
    const replicaId = r.int32();
    const isolationLevel = v >= 2 ? r.int8() : 0;
    const topics = r.array((r) => {
      const name = r.string(flex);
      const partitions = r.array((r) => {
        const p = { partition: r.int32(), currentLeaderEpoch: v >= 4 ? r.int32() : -1, timestamp: r.int64() };
        if (flex) r.taggedFields();
        return p;
      }, flex);
      if (flex) r.taggedFields();
      return { name, partitions };
    }, flex);
    if (v >= 10) r.int32(); // timeout_ms: for remote lookups only
    if (flex) r.taggedFields();
    return { replicaId, isolationLevel, topics };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 6;
    if (v >= 2) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name, flex);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
        if (v >= 4) w.int32(-1); // leader_epoch: unknown, the leader never changes
        if (flex) w.taggedFields();
      }, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
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
        const found = lookup(log, timestamp);
        // As Kafka's Partition.fetchOffsetForTimestamp: nothing at or past what the isolation level may read.
        const fetchable = req.isolationLevel === 1 ? log.lastStableOffset : log.nextOffset;
        const visible = timestamp === EARLIEST_LOCAL || found.offset < fetchable ? found : NOT_FOUND;
        return { partition, errorCode: 0, ...visible };
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
});
