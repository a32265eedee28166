// One partition's log: the producers' record batches kept byte for byte, with only
// baseOffset and partitionLeaderEpoch rewritten (outside the CRC). Offsets are found by
// binary search over the batches. Also holds the idempotent producers' sequence state
// (KIP-98): per producer id, the epoch and the last five batches' sequence ranges, and the
// transactions (./txn-index.ts) that set the last stable offset.
import {
  Compression, compressionOf, ControlType, controlTypeOf, decodeRecords, encodeControlBatch, isControl, isTransactional,
  readBatchHeader, stampBatch, type BatchHeader,
} from '../protocol/records.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { TxnIndex } from './txn-index.ts';

export interface StoredBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly bytes: Buffer;
}

interface SeqEntry { readonly firstSeq: number; readonly lastSeq: number; readonly baseOffset: number }
interface ProducerState { epoch: number; recent: SeqEntry[] }

export type AppendResult =
  | { readonly kind: 'appended'; readonly baseOffset: number }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'rejected'; readonly errorCode: number };

const MAX_SEQ_ENTRIES = 5; // the broker remembers five in-flight batches per producer, as Kafka does

export class PartitionLog {
  private batches: StoredBatch[] = [];
  private producers = new Map<number, ProducerState>();
  /** Open and aborted transactions of this partition. */
  readonly txns = new TxnIndex();
  /** First offset a consumer may read; only DeleteRecords moves it (compaction keeps offsets). */
  logStartOffset = 0;
  /** Log end offset = high watermark on a single node. */
  nextOffset = 0;
  /** Bytes held by the batches (for metrics and compaction decisions). */
  sizeBytes = 0;

  constructor(readonly topic: string, readonly partition: number, private readonly persist?: (bytes: Buffer) => void) {}

  get batchCount(): number { return this.batches.length; }

  /** Last stable offset: below the first open transaction, else the high watermark. */
  get lastStableOffset(): number { return this.txns.firstUnstableOffset() ?? this.nextOffset; }

  /** The epoch this partition last saw from a producer (a marker raises it too), if any. */
  producerEpoch(producerId: number): number | undefined { return this.producers.get(producerId)?.epoch; }

  /** Appends one producer batch (already CRC-checked); `bytes` becomes the log's own copy. */
  append(bytes: Buffer, header: BatchHeader): AppendResult {
    if (header.producerId >= 0 && header.baseSequence >= 0) {
      const check = this.checkSequence(header);
      if (check) return check;
    }
    const own = Buffer.from(bytes); // detach from the socket chunk the frame lives in
    const baseOffset = this.nextOffset;
    stampBatch(own, baseOffset, 0);
    this.add({ baseOffset, lastOffset: baseOffset + header.lastOffsetDelta, maxTimestamp: header.maxTimestamp, bytes: own });
    if (header.producerId >= 0 && header.baseSequence >= 0) this.recordSequence(header, baseOffset);
    if (isTransactional(header)) this.txns.onData(header.producerId, baseOffset);
    this.persist?.(own);
    return { kind: 'appended', baseOffset };
  }

  /**
   * Appends a commit or abort marker for `producerId`'s transaction. The marker's epoch
   * becomes the producer's epoch here, so a fenced producer's later batches are refused;
   * sequences go on across markers of the same epoch, as in Kafka.
   */
  appendMarker(m: { producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; timestamp: number }): number {
    const bytes = encodeControlBatch(m);
    const baseOffset = this.nextOffset;
    stampBatch(bytes, baseOffset, 0);
    this.add({ baseOffset, lastOffset: baseOffset, maxTimestamp: m.timestamp, bytes });
    this.noteMarkerEpoch(m.producerId, m.producerEpoch);
    this.txns.onMarker(m.producerId, m.commit, baseOffset);
    this.persist?.(bytes);
    return baseOffset;
  }

  private noteMarkerEpoch(producerId: number, epoch: number): void {
    const st = this.producers.get(producerId);
    if (!st || epoch > st.epoch) this.producers.set(producerId, { epoch, recent: [] });
  }

  /** Adds a batch read back from disk, rebuilding producer state. */
  restore(bytes: Buffer, header: BatchHeader): void {
    this.add({ baseOffset: header.baseOffset, lastOffset: header.baseOffset + header.lastOffsetDelta, maxTimestamp: header.maxTimestamp, bytes });
    if (header.producerId >= 0 && header.baseSequence >= 0 && !isControl(header)) {
      const st = this.producers.get(header.producerId);
      if (!st || st.epoch !== header.producerEpoch) this.producers.set(header.producerId, { epoch: header.producerEpoch, recent: [] });
      this.recordSequence(header, header.baseOffset);
    }
    if (isControl(header)) {
      const type = controlTypeOf(bytes, header);
      if (type === undefined || header.producerId < 0) return;
      this.noteMarkerEpoch(header.producerId, header.producerEpoch);
      this.txns.onMarker(header.producerId, type === ControlType.commit, header.baseOffset);
    } else if (isTransactional(header)) {
      this.txns.onData(header.producerId, header.baseOffset);
    }
  }

  private add(b: StoredBatch): void {
    this.batches.push(b);
    this.nextOffset = b.lastOffset + 1;
    this.sizeBytes += b.bytes.length;
  }

  private checkSequence(h: BatchHeader): AppendResult | undefined {
    const st = this.producers.get(h.producerId);
    const lastSeq = h.baseSequence + h.lastOffsetDelta;
    if (st && h.producerEpoch < st.epoch) return { kind: 'rejected', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    if (!st || h.producerEpoch > st.epoch) {
      // A new producer (or a bumped epoch) must start at sequence 0.
      return h.baseSequence === 0 ? undefined : { kind: 'rejected', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    const dup = st.recent.find((e) => e.firstSeq === h.baseSequence && e.lastSeq === lastSeq);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    const last = st.recent[st.recent.length - 1];
    const expected = last ? (last.lastSeq + 1) % 2 ** 31 : 0;
    return h.baseSequence === expected ? undefined : { kind: 'rejected', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
  }

  private recordSequence(h: BatchHeader, baseOffset: number): void {
    let st = this.producers.get(h.producerId);
    if (!st || st.epoch !== h.producerEpoch) {
      st = { epoch: h.producerEpoch, recent: [] };
      this.producers.set(h.producerId, st);
    }
    st.recent.push({ firstSeq: h.baseSequence, lastSeq: h.baseSequence + h.lastOffsetDelta, baseOffset });
    if (st.recent.length > MAX_SEQ_ENTRIES) st.recent.shift();
  }

  /** Index of the first batch whose lastOffset >= offset. */
  private indexFor(offset: number): number {
    let lo = 0, hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid]!.lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whole batches from the one holding `offset`, up to about maxBytes. The first batch is
   * returned even when larger than maxBytes, so a consumer always makes progress (KIP-74).
   */
  read(offset: number, maxBytes: number, maxOffset = Infinity): { batches: Buffer[]; bytes: number } {
    const out: Buffer[] = [];
    let bytes = 0;
    for (let i = this.indexFor(offset); i < this.batches.length && this.batches[i]!.baseOffset < maxOffset; i++) {
      const b = this.batches[i]!.bytes;
      if (out.length > 0 && bytes + b.length > maxBytes) break;
      out.push(b);
      bytes += b.length;
    }
    return { batches: out, bytes };
  }

  /** Bytes available from `offset` on, counted up to `limit` (long-poll minBytes checks). */
  bytesFrom(offset: number, limit: number, maxOffset = Infinity): number {
    let bytes = 0;
    for (let i = this.indexFor(offset); i < this.batches.length && bytes < limit && this.batches[i]!.baseOffset < maxOffset; i++) {
      bytes += this.batches[i]!.bytes.length;
    }
    return bytes;
  }

  /** ListOffsets by timestamp: the first offset whose record timestamp >= ts, or -1. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | undefined {
    for (const b of this.batches) {
      if (b.maxTimestamp < ts) continue;
      // Codecs we cannot decode (snappy, lz4, zstd) answer at batch granularity.
      const found = this.offsetInBatch(b, ts);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * ListOffsets -3 (KIP-734): the first record carrying the log's largest timestamp, or
   * undefined for an empty log. Batches DeleteRecords left wholly behind do not count.
   */
  maxTimestampOffset(): { offset: number; timestamp: number } | undefined {
    let best: StoredBatch | undefined;
    for (const b of this.batches) if (b.lastOffset >= this.logStartOffset && (!best || b.maxTimestamp > best.maxTimestamp)) best = b;
    if (!best) return undefined;
    return this.offsetInBatch(best, best.maxTimestamp) ?? { offset: best.baseOffset, timestamp: best.maxTimestamp };
  }

  /** The first record of `b` with timestamp >= ts (the whole batch for codecs we cannot read). */
  private offsetInBatch(b: StoredBatch, ts: number): { offset: number; timestamp: number } | undefined {
    const header = readBatchHeader(b.bytes);
    const codec = compressionOf(header);
    if (codec !== Compression.none && codec !== Compression.gzip) return { offset: b.baseOffset, timestamp: b.maxTimestamp };
    for (const r of decodeRecords(b.bytes, header)) {
      const t = header.baseTimestamp + r.timestampDelta;
      if (t >= ts) return { offset: b.baseOffset + r.offsetDelta, timestamp: t };
    }
    return undefined;
  }

  /** The batches, oldest first (compaction and persistence read them). */
  snapshot(): readonly StoredBatch[] { return this.batches; }

  /**
   * DeleteRecords: the log now starts at `offset` (≤ nextOffset). Whole batches below it go;
   * a batch straddling it stays, and fetches skip its older records client-side.
   */
  truncateBefore(offset: number): StoredBatch[] {
    this.logStartOffset = Math.max(this.logStartOffset, offset);
    this.nextOffset = Math.max(this.nextOffset, this.logStartOffset);
    this.txns.truncateBefore(this.logStartOffset);
    return this.batches.slice(this.indexFor(this.logStartOffset));
  }

  /** Replaces the batches with a compacted copy; offsets and nextOffset stay as they were. */
  replace(batches: StoredBatch[]): void {
    this.batches = batches;
    this.sizeBytes = batches.reduce((n, b) => n + b.bytes.length, 0);
  }
}
