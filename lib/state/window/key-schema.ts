// Composite keys of window and session stores in one ordered byte store:
// [segment id: 8][record key][time: 8][seq or start: 8]. The segment id leads so a whole
// segment is one contiguous range (dropped at once); within it keys sort by record key, then
// time, as Kafka Streams' WindowKeySchema and SessionKeySchema do.

const SEG = 8;
const SUFFIX = 16;

export function segmentPrefix(segment: number): Uint8Array {
  const out = new Uint8Array(SEG);
  new DataView(out.buffer).setBigUint64(0, BigInt(segment));
  return out;
}

export function compositeKey(segment: number, key: Uint8Array, a: number, b: number): Uint8Array {
  const out = new Uint8Array(SEG + key.length + SUFFIX);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(segment));
  out.set(key, SEG);
  view.setBigInt64(SEG + key.length, BigInt(a));
  view.setBigInt64(SEG + key.length + 8, BigInt(b));
  return out;
}

export interface DecodedKey {
  readonly segment: number;
  readonly key: Uint8Array;
  readonly a: number;
  readonly b: number;
}

export function decodeKey(bytes: Uint8Array): DecodedKey {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keyLength = bytes.length - SEG - SUFFIX;
  return {
    segment: Number(view.getBigUint64(0)),
    key: bytes.subarray(SEG, SEG + keyLength),
    a: Number(view.getBigInt64(SEG + keyLength)),
    b: Number(view.getBigInt64(SEG + keyLength + 8)),
  };
}

/** Whether a composite key holds exactly `key` (a range over "a" also meets "ab..."). */
export function holdsKey(bytes: Uint8Array, key: Uint8Array): boolean {
  if (bytes.length !== SEG + key.length + SUFFIX) return false;
  for (let i = 0; i < key.length; i++) if (bytes[SEG + i] !== key[i]) return false;
  return true;
}

export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** 8-byte big-endian timestamp then the value: the layout of Kafka Streams' ValueAndTimestamp serializer. */
export function withTimestamp(timestamp: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  new DataView(out.buffer).setBigInt64(0, BigInt(timestamp));
  out.set(value, 8);
  return out;
}

export function splitTimestamp(bytes: Uint8Array): { timestamp: number; value: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { timestamp: Number(view.getBigInt64(0)), value: bytes.subarray(8) };
}
