// Reads Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types) from a
// buffer. Every read checks bounds and throws MalformedRequestError, which closes only the
// connection that sent the bytes.

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

  /** int16 length then UTF-8; a null string here is malformed. */
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedRequestError('null where a string is required');
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  /** int32 length then raw bytes (a view into the frame, not a copy). */
  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new MalformedRequestError('null where bytes are required');
    return b;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  /** Exactly n raw bytes, as a view. */
  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  /** int32 count then items; a null array reads as empty. */
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    // Each item takes at least one byte: reject counts the frame cannot hold before allocating.
    if (n > this.remaining) throw new MalformedRequestError(`array of ${n} items in ${this.remaining} bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }
}
