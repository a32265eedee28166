// Log compaction for topics whose cleanup.policy includes "compact": keeps the latest record
// per key, drops tombstones older than delete.retention.ms, and never changes an offset.
// Rewritten batches keep their baseOffset, lastOffsetDelta, producer fields and codec, and
// the last batch always stays (possibly empty) so the log end offset survives a restart —
// as Kafka's cleaner does. Batches in codecs we cannot decode are kept whole.
// Transactions (KIP-98): only batches below the last stable offset are cleaned (later ones
// are kept and shadow nothing), records of aborted transactions are removed, and control
// batches are kept. Kafka's cleaner also drops a marker once its transaction's data is gone
// and delete.retention.ms has passed; here markers stay (one small batch per transaction).
import {
  decodeRecords, encodeBatch, isControl, isTransactional, readBatchHeader, Compression, compressionOf,
  type BatchHeader, type BatchRecord,
} from '../protocol/records.ts';
import type { PartitionLog, StoredBatch } from './partition-log.ts';
import type { Topic, TopicStore } from './topic-store.ts';

export function isCompacted(topic: Topic): boolean {
  return (topic.configs.get('cleanup.policy') ?? 'delete').split(',').includes('compact');
}

export interface CompactionStats { readonly partitions: number; readonly recordsRemoved: number }

interface Decoded { header: BatchHeader; stored: StoredBatch; records: readonly BatchRecord[] | null; aborted: number }

export interface CompactionResult {
  readonly batches: StoredBatch[];
  readonly removed: number;
  /** When the oldest tombstone left in the log expires (Infinity when none is left). */
  readonly nextExpiry: number;
}

/** What compaction must know of a partition's transactions. */
export interface CompactionTxns {
  readonly lastStableOffset: number;
  isAborted(producerId: number, offset: number): boolean;
}

const NO_TXNS: CompactionTxns = { lastStableOffset: Infinity, isAborted: () => false };

export const txnsOf = (log: PartitionLog): CompactionTxns => ({
  lastStableOffset: log.lastStableOffset,
  isAborted: (producerId, offset) => log.txns.isAborted(producerId, offset),
});

/** Compacts one batch list (removed = 0 means nothing changed). */
export function compactBatches(batches: readonly StoredBatch[], now: number, tombstoneRetentionMs: number, txns: CompactionTxns = NO_TXNS): CompactionResult {
  const decoded: Decoded[] = batches.map((stored) => {
    const header = readBatchHeader(stored.bytes);
    const codec = compressionOf(header);
    const readable = !isControl(header) && stored.baseOffset < txns.lastStableOffset
      && (codec === Compression.none || codec === Compression.gzip);
    if (readable && isTransactional(header) && txns.isAborted(header.producerId, header.baseOffset)) {
      return { header, stored, records: [], aborted: decodeRecords(stored.bytes, header).length };
    }
    return { header, stored, records: readable ? decodeRecords(stored.bytes, header) : null, aborted: 0 };
  });
  const latest = new Map<string, number>();
  for (const d of decoded) {
    for (const r of d.records ?? []) if (r.key) latest.set(r.key.toString('latin1'), d.header.baseOffset + r.offsetDelta);
  }
  const out: StoredBatch[] = [];
  let removed = 0, nextExpiry = Infinity;
  decoded.forEach((d, i) => {
    const isLast = i === decoded.length - 1;
    if (!d.records) return void out.push(d.stored);
    const keep = d.records.filter((r) => {
      if (!r.key) return true;
      if (latest.get(r.key.toString('latin1')) !== d.header.baseOffset + r.offsetDelta) return false;
      if (r.value !== null) return true;
      const expiry = d.header.baseTimestamp + r.timestampDelta + tombstoneRetentionMs;
      if (expiry <= now) return false;
      nextExpiry = Math.min(nextExpiry, expiry);
      return true;
    });
    removed += d.records.length - keep.length + d.aborted;
    if (keep.length === d.records.length && d.aborted === 0) return void out.push(d.stored);
    if (keep.length === 0 && !isLast) return;
    const h = d.header;
    const bytes = encodeBatch({
      baseOffset: h.baseOffset, baseTimestamp: h.baseTimestamp, maxTimestamp: h.maxTimestamp,
      lastOffsetDelta: h.lastOffsetDelta, records: keep, compression: compressionOf(h),
      timestampType: ((h.attributes >> 3) & 1) as 0 | 1, producerId: h.producerId,
      producerEpoch: h.producerEpoch, baseSequence: h.baseSequence, transactional: isTransactional(h),
    });
    out.push({ baseOffset: d.stored.baseOffset, lastOffset: d.stored.lastOffset, maxTimestamp: d.stored.maxTimestamp, bytes });
  });
  return { batches: removed === 0 ? [...batches] : out, removed, nextExpiry };
}

/** One compaction pass over every compacted topic; skips logs with no new appends and no tombstone due. */
export class Compactor {
  /** Per log: its end offset at the last pass and when a tombstone left then expires. */
  private readonly clean = new WeakMap<object, { offset: number; nextExpiry: number }>();

  constructor(private readonly store: TopicStore, private readonly tombstoneRetentionMs: number) {}

  run(now = Date.now()): CompactionStats {
    let partitions = 0, recordsRemoved = 0;
    for (const topic of this.store.list()) {
      if (!isCompacted(topic)) continue;
      for (const log of topic.partitions) {
        const last = this.clean.get(log);
        if (log.batchCount === 0 || (last && last.offset === log.nextOffset && now < last.nextExpiry)) continue;
        const result = compactBatches(log.snapshot(), now, this.tombstoneRetentionMs, txnsOf(log));
        this.clean.set(log, { offset: log.nextOffset, nextExpiry: result.nextExpiry });
        if (result.removed === 0) continue;
        this.store.replaceBatches(log, result.batches);
        partitions++;
        recordsRemoved += result.removed;
      }
    }
    return { partitions, recordsRemoved };
  }
}
