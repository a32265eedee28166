// Reads Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types) from a
// buffer. Every read checks bounds and throws MalformedRequestError, which closes only the
// connection that sent the bytes. The compact forms (KIP-482) prefix lengths with an
// unsigned varint of length + 1 (0 = null); `compact` arguments pick them per version.

/** Bytes that do not decode as the request they claim to be. */
export class MalformedRequestError extends Error {
  override readonly name: string = 'MalformedRequestError';
}

export class Reader {
  private pos: number;

  constructor(readonly buf: Buffer, offset = 0, private readonly end = buf.length) {
    this.pos = offset;
  }

  get offset(): number { return this.pos; }
  get remaining(): number { return this.end - this.pos; }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) {
      throw new MalformedRequestError(`needed ${n} bytes at offset ${at}, only ${this.end - at} left`);
    }
    this.pos = at + n;
    return at;
  }

  int8(): number { return this.buf.readInt8(this.need(1)); }
  int16(): number { return this.buf.readInt16BE(this.need(2)); }
  int32(): number { return this.buf.readInt32BE(this.need(4)); }
  uint32(): number { return this.buf.readUInt32BE(this.need(4)); }
  /** int64 as a number: offsets, timestamps and producer ids stay well below 2^53. */
  int64(): number { return Number(this.buf.readBigInt64BE(this.need(8))); }
  boolean(): boolean { return this.int8() !== 0; }

  /** Unsigned LEB128 varint of at most 5 bytes (32 bits). */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new MalformedRequestError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (int32). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zig-zag signed varlong, as a number (exact up to 2^53). */
  varlong(): number {
    let u = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.need(1)]!;
      u |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return Number((u >> 1n) ^ -(u & 1n));
    }
    throw new MalformedRequestError('varlong longer than 10 bytes');
  }

  /** Length for a compact type: uvarint N+1, -1 for null (N = 0). */
  private compactLength(): number { return this.uvarint() - 1; }

  /** int16 length (compact: uvarint length + 1) then UTF-8; a null string here is malformed. */
  string(compact = false): string {
    const s = this.nullableString(compact);
    if (s === null) throw new MalformedRequestError('null where a string is required');
    return s;
  }

  nullableString(compact = false): string | null {
    const len = compact ? this.compactLength() : this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  compactString(): string { return this.string(true); }
  compactNullableString(): string | null { return this.nullableString(true); }

  /** int32 length (compact: uvarint length + 1) then raw bytes, as a view into the frame. */
  bytes(compact = false): Buffer {
    const b = this.nullableBytes(compact);
    if (b === null) throw new MalformedRequestError('null where bytes are required');
    return b;
  }

  nullableBytes(compact = false): Buffer | null {
    const len = compact ? this.compactLength() : this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  compactBytes(): Buffer { return this.bytes(true); }
  compactNullableBytes(): Buffer | null { return this.nullableBytes(true); }
  /** COMPACT_RECORDS: a record batch run with a compact nullable length. */
  compactRecords(): Buffer | null { return this.nullableBytes(true); }

  /** 16 raw bytes, in the 8-4-4-4-12 hex form of crypto.randomUUID (topic ids). */
  uuid(): string {
    const h = this.raw(16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /**
   * A tag buffer (KIP-482): uvarint count, then per field uvarint tag, uvarint size and the
   * bytes. Known tags go to `onTag` with a reader over just their bytes; others are skipped.
   */
  taggedFields(onTag?: (tag: number, r: Reader) => void): void {
    const n = this.uvarint();
    if (n > this.remaining) throw new MalformedRequestError(`${n} tagged fields in ${this.remaining} bytes`);
    let last = -1;
    for (let i = 0; i < n; i++) {
      const tag = this.uvarint();
      if (tag <= last) throw new MalformedRequestError(`tagged field ${tag} out of order after ${last}`);
      last = tag;
      const size = this.uvarint();
      const at = this.need(size);
      onTag?.(tag, new Reader(this.buf, at, at + size));
    }
  }

  /** Exactly n raw bytes, as a view. */
  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  /** int32 count (compact: uvarint count + 1) then items; a null array reads as empty. */
  array<T>(item: (r: Reader) => T, compact = false): T[] {
    return this.nullableArray(item, compact) ?? [];
  }

  nullableArray<T>(item: (r: Reader) => T, compact = false): T[] | null {
    const n = compact ? this.compactLength() : this.int32();
    if (n < 0) return null;
    // Each item takes at least one byte: reject counts the frame cannot hold before allocating.
    if (n > this.remaining) throw new MalformedRequestError(`array of ${n} items in ${this.remaining} bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  compactArray<T>(item: (r: Reader) => T): T[] { return this.array(item, true); }
  compactNullableArray<T>(item: (r: Reader) => T): T[] | null { return this.nullableArray(item, true); }
}
