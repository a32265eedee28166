// OffsetFetch (9), v1–v5. v2: topics may be null (= all the group committed) and a
// top-level error_code; v3 adds throttle_time_ms; v4 = v3; v5 adds committed_leader_epoch;
// v6+ is flexible. v0 (ZooKeeper offsets) is not served. Unknown partitions answer -1.
import { groupCoordinator } from '../groups/service.ts';
import type { Reader } from '../protocol/reader.ts';
import { defineHandler } from './types.ts';

export interface OffsetFetchWireRequest {
  groupId: string;
  /** null = every partition the group committed (v2+). */
  topics: { name: string; partitions: number[] }[] | null;
}
export interface OffsetFetchPartition { partition: number; offset: number; leaderEpoch: number; metadata: string | null; errorCode: number }
export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
  errorCode: number;
}

export const offsetFetch = defineHandler<OffsetFetchWireRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 5,
  decodeRequest(r, v) {
    const groupId = r.string();
    const topic = (r: Reader) => ({ name: r.string(), partitions: r.array((r) => r.int32()) });
    return { groupId, topics: v >= 2 ? r.nullableArray(topic) : r.array(topic) };
  },
  encodeResponse(w, v, res) {
    if (v >= 3) w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int64(p.offset);
        if (v >= 5) w.int32(p.leaderEpoch);
        w.nullableString(p.metadata).int16(p.errorCode);
      });
    });
    if (v >= 2) w.int16(res.errorCode);
  },
  handle(req, { broker }) {
    const wanted = req.topics === null ? null
      : req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const result = groupCoordinator(broker).fetchOffsets(req.groupId, wanted);
    const topics = new Map<string, OffsetFetchPartition[]>();
    for (const p of result.partitions) {
      let list = topics.get(p.topic);
      if (!list) topics.set(p.topic, (list = []));
      list.push({ partition: p.partition, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata, errorCode: p.errorCode });
    }
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    };
  },
});
