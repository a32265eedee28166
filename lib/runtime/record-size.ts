// Sizes of records in Kafka's v2 record-batch format (magic 2, KIP-98), uncompressed, as
// kafkajs writes them: what the broker compares with a topic's `max.message.bytes`.

/** A record as the collector holds it before sending. */
export interface SizedRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: readonly { readonly key: string; readonly value: Uint8Array }[];
}

/** The fixed part of a record batch: baseOffset … recordCount, including the 12-byte log overhead. */
export const BATCH_OVERHEAD = 61;

/** Kafka's broker default for `message.max.bytes` (1 MiB plus the 12-byte log overhead). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1048588;

/** Bytes of a zig-zag varint (varlong) holding `n`. */
export function varintSize(n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

/** Bytes of one record inside a batch, with its timestamp and offset deltas. */
export function recordSize(record: SizedRecord, timestampDelta: number, offsetDelta: number): number {
  let body = 1 + varintSize(timestampDelta) + varintSize(offsetDelta); // attributes, deltas
  body += record.key === null ? varintSize(-1) : varintSize(record.key.byteLength) + record.key.byteLength;
  body += record.value === null ? varintSize(-1) : varintSize(record.value.byteLength) + record.value.byteLength;
  body += varintSize(record.headers.length);
  for (const h of record.headers) {
    const keyBytes = Buffer.byteLength(h.key, 'utf8');
    body += varintSize(keyBytes) + keyBytes + varintSize(h.value.byteLength) + h.value.byteLength;
  }
  return varintSize(body) + body;
}

/** Bytes of a batch holding only `record`: over the limit, the broker refuses it whatever else is sent. */
export function singleRecordBatchSize(record: SizedRecord): number {
  return BATCH_OVERHEAD + recordSize(record, 0, 0);
}

/**
 * Splits `records` (one partition's, in order) into consecutive pieces whose batches stay within
 * `limit` bytes and `maxCount` records. A record too large alone makes a piece of its own (the
 * caller refuses those first). kafkajs bases timestamp deltas on the smallest timestamp of a
 * request, so each delta is counted as the whole span of `records`.
 */
export function splitBySize<R extends SizedRecord>(records: readonly R[], limit: number, maxCount: number): R[][] {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const r of records) { lowest = Math.min(lowest, r.timestamp); highest = Math.max(highest, r.timestamp); }
  const span = records.length ? highest - lowest : 0;
  const pieces: R[][] = [];
  let piece: R[] = [];
  let bytes = BATCH_OVERHEAD;
  for (const r of records) {
    let size = recordSize(r, span, piece.length);
    if (piece.length > 0 && (bytes + size > limit || piece.length >= maxCount)) {
      pieces.push(piece);
      piece = [];
      bytes = BATCH_OVERHEAD;
      size = recordSize(r, span, 0);
    }
    piece.push(r);
    bytes += size;
  }
  if (piece.length) pieces.push(piece);
  return pieces;
}
