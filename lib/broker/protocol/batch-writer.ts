// Writes record batches v2 (KIP-98) in one pass into a buffer sized beforehand: no buffer per
// record, varints in number arithmetic (BigInt only beyond 2^53, which deltas never reach), the
// CRC-32C over attributes..end computed in place. Shared by the broker's encodeBatch and the
// runtime's produce requests (lib/runtime/produce-request.ts).
import { crc32c } from './crc32c.ts';

/** baseOffset … recordCount: the fixed part of a batch, including the 12-byte log overhead. */
export const BATCH_HEADER_SIZE = 61;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;

export interface RecordToWrite {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly { readonly key: string; readonly value: Uint8Array | null }[];
}

/** The header fields of a batch; the CRC, length and record count are derived. */
export interface BatchFields {
  readonly baseOffset: number;
  readonly partitionLeaderEpoch: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  /** A number, or the decimal string kafkajs keeps producer ids as. */
  readonly producerId: number | string;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/** Zig-zag of a safe integer, as an unsigned number (exact below 2^53). */
function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function uvarintSize(u: number): number {
  let size = 1;
  while (u >= 128) { u = Math.floor(u / 128); size++; }
  return size;
}

export const varintSize = (v: number): number => uvarintSize(zigzag(v));

function writeUvarint(out: Buffer, at: number, u: number): number {
  if (u < 0x80000000) {
    let x = u >>> 0;
    while (x >= 0x80) { out[at++] = (x & 0x7f) | 0x80; x >>>= 7; }
    out[at++] = x;
    return at;
  }
  while (u >= 128) { out[at++] = (u % 128) | 0x80; u = Math.floor(u / 128); }
  out[at++] = u;
  return at;
}

const writeVarint = (out: Buffer, at: number, v: number): number => writeUvarint(out, at, zigzag(v));

function bytesSize(b: Uint8Array | null): number {
  return b === null ? 1 : varintSize(b.byteLength) + b.byteLength;
}

function writeBytes(out: Buffer, at: number, b: Uint8Array | null): number {
  if (b === null) return writeVarint(out, at, -1);
  at = writeVarint(out, at, b.byteLength);
  out.set(b, at);
  return at + b.byteLength;
}

/** Bytes of a record's body (after its length varint). */
function bodySize(r: RecordToWrite): number {
  let n = 1 + varintSize(r.timestampDelta) + varintSize(r.offsetDelta) + bytesSize(r.key) + bytesSize(r.value) + varintSize(r.headers.length);
  for (const h of r.headers) {
    const k = Buffer.byteLength(h.key, 'utf8');
    n += varintSize(k) + k + bytesSize(h.value);
  }
  return n;
}

/** Bytes of the records section (each record with its length varint). */
export function recordsSize(records: readonly RecordToWrite[]): number {
  let n = 0;
  for (const r of records) { const b = bodySize(r); n += varintSize(b) + b; }
  return n;
}

/** Writes the records section at `at`; returns the end. */
export function writeRecords(out: Buffer, at: number, records: readonly RecordToWrite[]): number {
  for (const r of records) {
    at = writeVarint(out, at, bodySize(r));
    out[at++] = 0; // record attributes: unused
    at = writeVarint(out, at, r.timestampDelta);
    at = writeVarint(out, at, r.offsetDelta);
    at = writeBytes(out, at, r.key);
    at = writeBytes(out, at, r.value);
    at = writeVarint(out, at, r.headers.length);
    for (const h of r.headers) {
      const k = Buffer.byteLength(h.key, 'utf8');
      at = writeVarint(out, at, k);
      at += out.write(h.key, at, k, 'utf8');
      at = writeBytes(out, at, h.value);
    }
  }
  return at;
}

/**
 * Writes a batch header at `at` for a records section of `bodyBytes` already in place after it
 * (uncompressed or compressed), then the CRC over attributes..end; returns the batch's end.
 */
export function writeBatchHeader(out: Buffer, at: number, fields: BatchFields, recordCount: number, bodyBytes: number): number {
  out.writeBigInt64BE(BigInt(fields.baseOffset), at);
  out.writeInt32BE(BATCH_HEADER_SIZE - 12 + bodyBytes, at + 8);
  out.writeInt32BE(fields.partitionLeaderEpoch, at + 12);
  out.writeInt8(2, at + 16);
  out.writeInt16BE(fields.attributes, at + ATTRIBUTES_AT);
  out.writeInt32BE(fields.lastOffsetDelta, at + 23);
  out.writeBigInt64BE(BigInt(fields.baseTimestamp), at + 27);
  out.writeBigInt64BE(BigInt(fields.maxTimestamp), at + 35);
  out.writeBigInt64BE(BigInt(fields.producerId), at + 43);
  out.writeInt16BE(fields.producerEpoch, at + 51);
  out.writeInt32BE(fields.baseSequence, at + 53);
  out.writeInt32BE(recordCount, at + 57);
  const end = at + BATCH_HEADER_SIZE + bodyBytes;
  out.writeUInt32BE(crc32c(out, at + ATTRIBUTES_AT, end), at + CRC_AT);
  return end;
}

/** Bytes of an uncompressed batch of `records`. */
export function batchSize(records: readonly RecordToWrite[]): number {
  return BATCH_HEADER_SIZE + recordsSize(records);
}

/** Writes an uncompressed batch at `at` (sized by `batchSize`); returns its end. */
export function writeBatch(out: Buffer, at: number, fields: BatchFields, records: readonly RecordToWrite[]): number {
  const end = writeRecords(out, at + BATCH_HEADER_SIZE, records);
  return writeBatchHeader(out, at, fields, records.length, end - at - BATCH_HEADER_SIZE);
}
