// Record batches v2 (magic 2, KIP-98; https://kafka.apache.org/documentation/#recordbatch).
// Layout: baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 |
// crc uint32 | attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 |
// maxTimestamp int64 | producerId int64 | producerEpoch int16 | baseSequence int32 |
// recordCount int32 | records. The CRC-32C covers attributes..end, so the broker may
// rewrite baseOffset and partitionLeaderEpoch without recomputing it.
// Magic 0/1 (MessageSets) are not supported: kafkajs 2.x writes only magic 2 (Produce v3+)
// and we advertise Produce v3+ / Fetch v4+, so no client can send or expect the old formats.
import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c.ts';
import { MalformedRequestError, Reader } from './reader.ts';
import { batchSize, recordsSize, writeBatch, writeBatchHeader, writeRecords } from './batch-writer.ts';

export const BATCH_HEADER_BYTES = 61;
const CRC_START = 21;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

export interface BatchHeader {
  readonly baseOffset: number;
  /** Whole batch size in bytes, including baseOffset and batchLength. */
  readonly size: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export interface RecordHeader { readonly key: string; readonly value: Buffer | null }

export interface BatchRecord {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export class CorruptBatchError extends MalformedRequestError {
  override readonly name = 'CorruptBatchError';
}

export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  if (buf.length - at < BATCH_HEADER_BYTES) throw new CorruptBatchError(`batch header needs ${BATCH_HEADER_BYTES} bytes`);
  const magic = buf.readInt8(at + 16);
  if (magic !== 2) throw new CorruptBatchError(`record batch magic ${magic}; only magic 2 is supported`);
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    size: 12 + buf.readInt32BE(at + 8),
    magic,
    crc: buf.readUInt32BE(at + 17),
    attributes: buf.readInt16BE(at + 21),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export const compressionOf = (h: BatchHeader): number => h.attributes & 0x07;
export const isTransactional = (h: BatchHeader): boolean => (h.attributes & 0x10) !== 0;
export const isControl = (h: BatchHeader): boolean => (h.attributes & 0x20) !== 0;

/** A batch bigger than the partition's max.message.bytes (Kafka's RecordTooLargeException). */
export class BatchTooLargeError extends Error {
  override readonly name = 'BatchTooLargeError';
  constructor(readonly size: number, readonly limit: number) {
    super(`The record batch size is ${size} bytes which exceeds the maximum configured value of ${limit}.`);
  }
}

/**
 * Splits a records blob into whole batches, checking sizes, magic and CRC of each. With
 * `maxBatchBytes`, a batch larger than that throws BatchTooLargeError; as in Kafka's
 * UnifiedLog.analyzeAndValidateRecords, batch by batch, the size is checked before the CRC.
 */
export function splitBatches(records: Buffer, maxBatchBytes = Infinity): { header: BatchHeader; bytes: Buffer }[] {
  const out: { header: BatchHeader; bytes: Buffer }[] = [];
  let at = 0;
  while (at < records.length) {
    const header = readBatchHeader(records, at);
    if (header.size < BATCH_HEADER_BYTES || at + header.size > records.length) {
      throw new CorruptBatchError(`batch of ${header.size} bytes at ${at} overruns the ${records.length}-byte record set`);
    }
    if (header.size > maxBatchBytes) throw new BatchTooLargeError(header.size, maxBatchBytes);
    const bytes = records.subarray(at, at + header.size);
    if (crc32c(bytes, CRC_START) !== header.crc) throw new CorruptBatchError('record batch CRC mismatch');
    out.push({ header, bytes });
    at += header.size;
  }
  return out;
}

/** Rewrites the fields outside the CRC in place (baseOffset, partitionLeaderEpoch). */
export function stampBatch(bytes: Buffer, baseOffset: number, leaderEpoch: number): void {
  bytes.writeBigInt64BE(BigInt(baseOffset), 0);
  bytes.writeInt32BE(leaderEpoch, 12);
}

/** The records of a batch, decompressing gzip. Other codecs throw (kafkajs needs plugins for them). */
export function decodeRecords(bytes: Buffer, header: BatchHeader = readBatchHeader(bytes)): BatchRecord[] {
  let body = bytes.subarray(BATCH_HEADER_BYTES, header.size);
  const codec = compressionOf(header);
  if (codec === Compression.gzip) body = gunzipSync(body);
  else if (codec !== Compression.none) throw new CorruptBatchError(`compression codec ${codec} is not supported`);
  const r = new Reader(body);
  const out: BatchRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    const len = r.varint();
    const end = r.offset + len;
    const rr = new Reader(body, r.offset, end);
    rr.int8(); // record attributes: unused
    const timestampDelta = rr.varlong();
    const offsetDelta = rr.varint();
    const key = varBytes(rr);
    const value = varBytes(rr);
    const nHeaders = rr.varint();
    const headers: RecordHeader[] = [];
    for (let h = 0; h < nHeaders; h++) {
      const k = varBytes(rr);
      headers.push({ key: k?.toString('utf8') ?? '', value: varBytes(rr) });
    }
    out.push({ offsetDelta, timestampDelta, key, value, headers });
    r.raw(len);
  }
  return out;
}

function varBytes(r: Reader): Buffer | null {
  const n = r.varint();
  return n < 0 ? null : r.raw(n);
}

export interface NewBatch {
  readonly baseOffset: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly lastOffsetDelta: number;
  readonly records: readonly BatchRecord[];
  readonly compression?: number;
  readonly timestampType?: 0 | 1;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly partitionLeaderEpoch?: number;
  /** Attributes bit 4 (KIP-98): the batch belongs to a transaction. */
  readonly transactional?: boolean;
  /** Attributes bit 5: a control batch (commit/abort marker). */
  readonly control?: boolean;
}

/** Encodes a batch with its CRC (compaction output, control batches, tests). */
export function encodeBatch(b: NewBatch): Buffer {
  const compression = b.compression ?? Compression.none;
  if (compression !== Compression.none && compression !== Compression.gzip) throw new CorruptBatchError(`cannot encode codec ${compression}`);
  const attributes = compression | ((b.timestampType ?? 0) << 3) | (b.transactional ? 0x10 : 0) | (b.control ? 0x20 : 0);
  const fields = {
    baseOffset: b.baseOffset, partitionLeaderEpoch: b.partitionLeaderEpoch ?? 0, attributes, lastOffsetDelta: b.lastOffsetDelta,
    baseTimestamp: b.baseTimestamp, maxTimestamp: b.maxTimestamp,
    producerId: b.producerId ?? -1, producerEpoch: b.producerEpoch ?? -1, baseSequence: b.baseSequence ?? -1,
  };
  if (compression === Compression.none) {
    const out = Buffer.allocUnsafe(batchSize(b.records));
    writeBatch(out, 0, fields, b.records);
    return out;
  }
  const plain = Buffer.allocUnsafe(recordsSize(b.records));
  writeRecords(plain, 0, b.records);
  const body = gzipSync(plain);
  const out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + body.length);
  body.copy(out, BATCH_HEADER_BYTES);
  writeBatchHeader(out, 0, fields, b.records.length, body.length);
  return out;
}

/** Control record key types (KIP-98): the marker a transaction coordinator writes. */
export const ControlType = { abort: 0, commit: 1 } as const;

/**
 * A transaction marker: a transactional control batch of one record whose key is
 * version int16 (0) + type int16 and whose value is version int16 (0) + coordinator epoch int32.
 */
export function encodeControlBatch(opts: { producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; timestamp: number }): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.commit ? ControlType.commit : ControlType.abort, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch, 2);
  return encodeBatch({
    baseOffset: 0, baseTimestamp: opts.timestamp, maxTimestamp: opts.timestamp, lastOffsetDelta: 0,
    records: [{ offsetDelta: 0, timestampDelta: 0, key, value, headers: [] }],
    producerId: opts.producerId, producerEpoch: opts.producerEpoch, baseSequence: -1,
    transactional: true, control: true,
  });
}

/** The control type of a control batch's (first) record, or undefined if it is not a marker. */
export function controlTypeOf(bytes: Buffer, header: BatchHeader = readBatchHeader(bytes)): number | undefined {
  if (!isControl(header) || header.recordCount < 1) return undefined;
  const [first] = decodeRecords(bytes, header);
  if (!first?.key || first.key.length < 4) return undefined;
  return first.key.readInt16BE(2);
}
