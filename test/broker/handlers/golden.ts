// Byte builders for golden frames, written straight from the protocol spec's field types
// (https://kafka.apache.org/protocol#protocol_types), independent of lib's Writer.
export const i8 = (v: number) => Buffer.from([v & 0xff]);
export const bool = (v: boolean) => i8(v ? 1 : 0);
export const i16 = (v: number) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; };
export const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
export const i64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return b; };
/** STRING / NULLABLE_STRING: int16 length (-1 = null) then UTF-8. */
export const str = (s: string | null) => (s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]));
/** BYTES / NULLABLE_BYTES / RECORDS: int32 length (-1 = null) then bytes. */
export const bytes = (b: Buffer | null) => (b === null ? i32(-1) : Buffer.concat([i32(b.length), b]));
/** ARRAY: int32 count (-1 = null) then the items. */
export const arr = (items: Buffer[] | null) => (items === null ? i32(-1) : Buffer.concat([i32(items.length), ...items]));
export const cat = (...parts: Buffer[]) => Buffer.concat(parts);
/** Appends parts only when `cond` (a field present from some version on). */
export const when = (cond: boolean, ...parts: Buffer[]) => (cond ? Buffer.concat(parts) : Buffer.alloc(0));
/** UNSIGNED_VARINT: 7 bits a byte, low group first, high bit = more follows. */
export const uvar = (v: number) => {
  const out: number[] = [];
  let u = v >>> 0;
  while (u >= 0x80) { out.push((u & 0x7f) | 0x80); u >>>= 7; }
  out.push(u);
  return Buffer.from(out);
};
/** COMPACT_(NULLABLE_)STRING: uvarint length + 1 (0 = null) then UTF-8. */
export const cstr = (s: string | null) => (s === null ? uvar(0) : Buffer.concat([uvar(Buffer.byteLength(s) + 1), Buffer.from(s)]));
/** COMPACT_(NULLABLE_)BYTES / COMPACT_RECORDS: uvarint length + 1 (0 = null) then bytes. */
export const cbytes = (b: Buffer | null) => (b === null ? uvar(0) : Buffer.concat([uvar(b.length + 1), b]));
/** COMPACT_ARRAY: uvarint count + 1 (0 = null) then the items. */
export const carr = (items: Buffer[] | null) => (items === null ? uvar(0) : Buffer.concat([uvar(items.length + 1), ...items]));
/** A tag buffer: count, then per field tag, size, bytes. No arguments = the empty buffer (0x00). */
export const tags = (...fields: [number, Buffer][]) =>
  Buffer.concat([uvar(fields.length), ...fields.flatMap(([t, b]) => [uvar(t), uvar(b.length), b])]);
/** UUID: 16 raw bytes. */
export const uuid = (hex: string) => Buffer.from(hex, 'hex');
