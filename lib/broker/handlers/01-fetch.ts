// Fetch (1), v4–v18. v4: isolation_level, last_stable_offset, aborted_transactions (first
// magic-2-only version); v5: log_start_offset; v7: fetch sessions (KIP-227; we never create
// one: session_id 0 = full fetches); v9: current_leader_epoch; v11: rack_id,
// preferred_read_replica; v12 is flexible and adds last_fetched_epoch (for followers, KIP-595;
// ignored) and response tags for diverging epoch / current leader / snapshot, which a single
// node with no leader epochs never sends; v13 names topics by id (Metadata v10+ gives them;
// an unknown id answers UNKNOWN_TOPIC_ID); v14 = v13; v15 moves replica_id into a replica_state
// tag and v17/v18 add partition tags (directory id, high watermark), all for replicas and
// KRaft voters: a consumer sends none, and unknown tags are skipped; v16 adds a response tag of
// leader endpoints, sent only with leader-change errors, which one node never has.
// Long poll: waits up to max_wait_ms for min_bytes, woken by appends.
// isolation_level 1 (read_committed, KIP-98) reads only below the last stable offset and
// lists the aborted transactions of the range read; 0 reads to the high watermark.
import { ErrorCode } from '../protocol/errors.ts';
import { readBatchHeader } from '../protocol/records.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import type { BrokerState } from '../state.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
import type { Topic } from '../storage/topic-store.ts';
import { defineHandler } from './types.ts';

const FETCH_SESSION_ID_NOT_FOUND = 70;
const READ_COMMITTED = 1;

/** Where a fetch of this isolation level stops reading. */
const readLimit = (log: PartitionLog, isolationLevel: number): number =>
  isolationLevel === READ_COMMITTED ? log.lastStableOffset : Infinity;

export interface FetchPartitionRequest {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** -1 before v12. */
  lastFetchedEpoch: number;
  logStartOffset: number;
  maxBytes: number;
}
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  /** From v13 topics come by id and `topic` is ''; before, topicId is the zero UUID. */
  topics: { topic: string; topicId: string; partitions: FetchPartitionRequest[] }[];
  forgotten: { topic: string; topicId: string; partitions: number[] }[];
  rackId: string;
}
export interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  preferredReadReplica: number;
  /** Whole stored batches, written back to back as the records field; null = no records. */
  records: Buffer[] | null;
}
export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  topics: { topic: string; topicId: string; partitions: FetchPartitionResponse[] }[];
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The topic a fetch names, by id from v13 (topic ''), else by name. */
function topicOf(broker: BrokerState, t: { topic: string; topicId: string }): Topic | undefined {
  return t.topic === '' && t.topicId !== ZERO_UUID ? broker.topics.getById(t.topicId) : broker.topics.get(t.topic);
}

/** RECORDS (int32 length) or, flexible, COMPACT_RECORDS (uvarint length + 1); batches not copied. */
function writeRecords(w: Writer, records: Buffer[] | null, compact: boolean): void {
  if (records === null) {
    if (compact) w.uvarint(0);
    else w.int32(-1);
    return;
  }
  const n = records.reduce((n, b) => n + b.length, 0);
  if (compact) w.uvarint(n + 1);
  else w.int32(n);
  for (const b of records) w.raw(b);
}

/** Reads what the request asks for now; `bytes` is what the records hold. */
function collect(req: FetchRequest, broker: BrokerState): { res: FetchResponse; bytes: number; error: boolean } {
  let budget = Math.max(req.maxBytes, 1);
  let bytes = 0;
  let error = false;
  const topics = req.topics.map((t) => {
    const topic = topicOf(broker, t);
    const partitions = t.partitions.map((p): FetchPartitionResponse => {
      const log = topic?.partitions[p.partition];
      const base = { partition: p.partition, lastStableOffset: -1, abortedTransactions: null, preferredReadReplica: -1, records: null };
      if (!log) {
        error = true;
        const errorCode = !topic && t.topic === '' ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        return { ...base, errorCode, highWatermark: -1, logStartOffset: -1 };
      }
      const marks = { highWatermark: log.nextOffset, lastStableOffset: log.lastStableOffset, logStartOffset: log.logStartOffset };
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.nextOffset) {
        error = true;
        return { ...base, ...marks, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
      }
      // KIP-74: the first batch of the response is returned even beyond the limits.
      const limit = bytes === 0 ? Math.max(Math.min(p.maxBytes, budget), 1) : Math.min(p.maxBytes, budget);
      const upTo = readLimit(log, req.isolationLevel);
      let read = limit > 0 ? log.read(p.fetchOffset, limit, upTo) : { batches: [], bytes: 0 };
      if (bytes > 0 && read.bytes > limit) read = { batches: [], bytes: 0 };
      bytes += read.bytes;
      budget -= read.bytes;
      const last = read.batches.at(-1);
      const lastHeader = last && readBatchHeader(last);
      const end = lastHeader ? lastHeader.baseOffset + lastHeader.lastOffsetDelta + 1 : p.fetchOffset;
      const abortedTransactions = req.isolationLevel === READ_COMMITTED
        ? log.txns.abortedIn(p.fetchOffset, end).map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }))
        : null;
      return { ...base, ...marks, errorCode: ErrorCode.NONE, abortedTransactions, records: read.batches };
    });
    return { topic: t.topic, topicId: t.topicId, partitions };
  });
  return { res: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, topics }, bytes, error };
}

/** Bytes available for the request, counted up to minBytes (cheap re-check on wake-up). */
function available(req: FetchRequest, broker: BrokerState): number {
  let n = 0;
  for (const t of req.topics) {
    const topic = topicOf(broker, t);
    for (const p of t.partitions) {
      const log = topic?.partitions[p.partition];
      if (!log || p.fetchOffset > log.nextOffset) return Infinity; // an error answers at once
      n += log.bytesFrom(p.fetchOffset, req.minBytes - n, readLimit(log, req.isolationLevel));
      if (n >= req.minBytes) return n;
    }
  }
  return n;
}

export const fetch = defineHandler<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 18,
  firstFlexibleVersion: 12,
  decodeRequest(r, v) {
    const flex = v >= 12;
    const replicaId = v <= 14 ? r.int32() : -1;
    const maxWaitMs = r.int32(), minBytes = r.int32(), maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = v >= 7 ? r.int32() : 0;
    const sessionEpoch = v >= 7 ? r.int32() : -1;
    const named = (r: Reader) => (v >= 13 ? { topic: '', topicId: r.uuid() } : { topic: r.string(flex), topicId: ZERO_UUID });
    const topics = r.array((r) => {
      const topic = named(r);
      const partitions = r.array((r) => {
        const p = {
          partition: r.int32(),
          currentLeaderEpoch: v >= 9 ? r.int32() : -1,
          fetchOffset: r.int64(),
          lastFetchedEpoch: v >= 12 ? r.int32() : -1,
          logStartOffset: v >= 5 ? r.int64() : -1,
          maxBytes: r.int32(),
        };
        if (flex) r.taggedFields();
        return p;
      }, flex);
      if (flex) r.taggedFields();
      return { ...topic, partitions };
    }, flex);
    const forgotten = v >= 7
      ? r.array((r) => {
        const f = { ...named(r), partitions: r.array((r) => r.int32(), flex) };
        if (flex) r.taggedFields();
        return f;
      }, flex)
      : [];
    const rackId = v >= 11 ? r.string(flex) : '';
    // Tag 0 is the cluster id a follower expects (KIP-595): not meaningful for consumers.
    if (flex) r.taggedFields();
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgotten, rackId };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 12;
    w.int32(res.throttleTimeMs);
    if (v >= 7) w.int16(res.errorCode).int32(res.sessionId);
    w.array(res.topics, (w, t) => {
      if (v >= 13) w.uuid(t.topicId);
      else w.string(t.topic, flex);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
        if (v >= 5) w.int64(p.logStartOffset);
        w.nullableArray(p.abortedTransactions, (w, a) => {
          w.int64(a.producerId).int64(a.firstOffset);
          if (flex) w.taggedFields();
        }, flex);
        if (v >= 11) w.int32(p.preferredReadReplica);
        writeRecords(w, p.records, flex);
        if (flex) w.taggedFields();
      }, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker, closed }) {
    if (req.sessionId !== 0) {
      return { throttleTimeMs: 0, errorCode: FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, topics: [] };
    }
    if (req.maxWaitMs > 0 && req.minBytes > 0 && !closed.aborted && available(req, broker) < req.minBytes) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          closed.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, req.maxWaitMs);
        const unsubscribe = broker.topics.onAppend(() => {
          if (available(req, broker) >= req.minBytes) done();
        });
        closed.addEventListener('abort', done);
      });
    }
    return collect(req, broker).res;
  },
});
