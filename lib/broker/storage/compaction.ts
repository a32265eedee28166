// Log compaction for topics whose cleanup.policy includes "compact": keeps the latest record
// per key, drops tombstones older than delete.retention.ms, and never changes an offset.
// Rewritten batches keep their baseOffset, lastOffsetDelta, producer fields and codec, and
// the last batch always stays (possibly empty) so the log end offset survives a restart —
// as Kafka's cleaner does. Batches in codecs we cannot decode are kept whole.
import { decodeRecords, encodeBatch, isControl, readBatchHeader, Compression, compressionOf, type BatchHeader, type BatchRecord } from '../protocol/records.ts';
import type { StoredBatch } from './partition-log.ts';
import type { Topic, TopicStore } from './topic-store.ts';

export function isCompacted(topic: Topic): boolean {
  return (topic.configs.get('cleanup.policy') ?? 'delete').split(',').includes('compact');
}

export interface CompactionStats { readonly partitions: number; readonly recordsRemoved: number }

interface Decoded { header: BatchHeader; stored: StoredBatch; records: readonly BatchRecord[] | null }

export interface CompactionResult {
  readonly batches: StoredBatch[];
  readonly removed: number;
  /** Tombstones still in the log (a later pass may expire them). */
  readonly tombstones: number;
}

/** Compacts one batch list (removed = 0 means nothing changed). */
export function compactBatches(batches: readonly StoredBatch[], now: number, tombstoneRetentionMs: number): CompactionResult {
  const decoded: Decoded[] = batches.map((stored) => {
    const header = readBatchHeader(stored.bytes);
    const codec = compressionOf(header);
    const readable = !isControl(header) && (codec === Compression.none || codec === Compression.gzip);
    return { header, stored, records: readable ? decodeRecords(stored.bytes, header) : null };
  });
  const latest = new Map<string, number>();
  for (const d of decoded) {
    for (const r of d.records ?? []) if (r.key) latest.set(r.key.toString('latin1'), d.header.baseOffset + r.offsetDelta);
  }
  const out: StoredBatch[] = [];
  let removed = 0, tombstones = 0;
  decoded.forEach((d, i) => {
    const isLast = i === decoded.length - 1;
    if (!d.records) return void out.push(d.stored);
    const keep = d.records.filter((r) => {
      if (!r.key) return true;
      if (latest.get(r.key.toString('latin1')) !== d.header.baseOffset + r.offsetDelta) return false;
      const expired = r.value === null && now - (d.header.baseTimestamp + r.timestampDelta) >= tombstoneRetentionMs;
      if (r.value === null && !expired) tombstones++;
      return !expired;
    });
    removed += d.records.length - keep.length;
    if (keep.length === d.records.length) return void out.push(d.stored);
    if (keep.length === 0 && !isLast) return;
    const h = d.header;
    const bytes = encodeBatch({
      baseOffset: h.baseOffset, baseTimestamp: h.baseTimestamp, maxTimestamp: h.maxTimestamp,
      lastOffsetDelta: h.lastOffsetDelta, records: keep, compression: compressionOf(h),
      timestampType: ((h.attributes >> 3) & 1) as 0 | 1, producerId: h.producerId,
      producerEpoch: h.producerEpoch, baseSequence: h.baseSequence,
    });
    out.push({ baseOffset: d.stored.baseOffset, lastOffset: d.stored.lastOffset, maxTimestamp: d.stored.maxTimestamp, bytes });
  });
  return { batches: removed === 0 ? [...batches] : out, removed, tombstones };
}

/** One compaction pass over every compacted topic; skips partitions with no new appends. */
export class Compactor {
  /** Per log: the log end offset at the last pass and whether tombstones were left. */
  private readonly clean = new WeakMap<object, { offset: number; tombstones: number }>();

  constructor(private readonly store: TopicStore, private readonly tombstoneRetentionMs: number) {}

  run(now = Date.now()): CompactionStats {
    let partitions = 0, recordsRemoved = 0;
    for (const topic of this.store.list()) {
      if (!isCompacted(topic)) continue;
      for (const log of topic.partitions) {
        const last = this.clean.get(log);
        if (log.batchCount === 0 || (last && last.offset === log.nextOffset && last.tombstones === 0)) continue;
        const result = compactBatches(log.snapshot(), now, this.tombstoneRetentionMs);
        this.clean.set(log, { offset: log.nextOffset, tombstones: result.tombstones });
        if (result.removed === 0) continue;
        this.store.replaceBatches(log, result.batches);
        partitions++;
        recordsRemoved += result.removed;
      }
    }
    return { partitions, recordsRemoved };
  }
}
