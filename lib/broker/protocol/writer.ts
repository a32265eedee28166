// Writes Kafka's primitive types. Small fields go into a growing scratch buffer; large
// byte runs (stored record batches) are kept as separate chunks so a fetch response does
// not copy them. `toBuffers()` hands the chunks to socket.write / Buffer.concat.
// Compact forms (KIP-482, flexible versions) prefix lengths with uvarint length + 1, 0 = null.

export class Writer {
  private chunks: Buffer[] = [];
  private cur: Buffer;
  private pos = 0;
  private done = 0; // bytes in `chunks`

  constructor(initial = 256) {
    this.cur = Buffer.allocUnsafe(initial);
  }

  get length(): number { return this.done + this.pos; }

  private room(n: number): number {
    if (this.pos + n > this.cur.length) {
      if (this.pos > 0) {
        this.chunks.push(this.cur.subarray(0, this.pos));
        this.done += this.pos;
      }
      this.cur = Buffer.allocUnsafe(Math.max(n, this.cur.length * 2, 256));
      this.pos = 0;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  // room() may swap `cur`, so every write takes the position first, then uses this.cur.
  int8(v: number): this { const at = this.room(1); this.cur.writeInt8(v, at); return this; }
  int16(v: number): this { const at = this.room(2); this.cur.writeInt16BE(v, at); return this; }
  int32(v: number): this { const at = this.room(4); this.cur.writeInt32BE(v, at); return this; }
  uint32(v: number): this { const at = this.room(4); this.cur.writeUInt32BE(v >>> 0, at); return this; }
  int64(v: number | bigint): this { const at = this.room(8); this.cur.writeBigInt64BE(BigInt(v), at); return this; }
  boolean(v: boolean): this { return this.int8(v ? 1 : 0); }

  private byte(b: number): this {
    const at = this.room(1);
    this.cur[at] = b;
    return this;
  }

  uvarint(v: number): this {
    let u = v >>> 0;
    while (u >= 0x80) {
      this.byte((u & 0x7f) | 0x80);
      u >>>= 7;
    }
    return this.byte(u);
  }

  varint(v: number): this { return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0); }

  varlong(v: number | bigint): this {
    const n = BigInt(v);
    let u = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    while (u >= 0x80n) {
      this.byte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return this.byte(Number(u));
  }

  private lengthPrefix(n: number | null, compact: boolean, wide: boolean): this {
    if (compact) return this.uvarint(n === null ? 0 : n + 1);
    if (wide) return this.int32(n ?? -1);
    return this.int16(n ?? -1);
  }

  string(s: string, compact = false): this { return this.nullableString(s, compact); }

  nullableString(s: string | null, compact = false): this {
    if (s === null) return this.lengthPrefix(null, compact, false);
    const len = Buffer.byteLength(s, 'utf8');
    this.lengthPrefix(len, compact, false);
    const at = this.room(len);
    this.cur.write(s, at, len, 'utf8');
    return this;
  }

  compactString(s: string): this { return this.nullableString(s, true); }
  compactNullableString(s: string | null): this { return this.nullableString(s, true); }

  bytes(b: Uint8Array, compact = false): this { return this.nullableBytes(b, compact); }

  nullableBytes(b: Uint8Array | null, compact = false): this {
    if (b === null) return this.lengthPrefix(null, compact, true);
    this.lengthPrefix(b.length, compact, true);
    return this.raw(b);
  }

  compactBytes(b: Uint8Array): this { return this.nullableBytes(b, true); }
  compactNullableBytes(b: Uint8Array | null): this { return this.nullableBytes(b, true); }

  /** A UUID (32 hex digits, dashes allowed) as 16 raw bytes (topic ids). */
  uuid(id: string): this {
    const hex = id.replace(/-/g, '');
    if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a uuid: ${id}`);
    return this.raw(Buffer.from(hex, 'hex'));
  }

  /**
   * A tag buffer (KIP-482): count, then per field tag, size and bytes, in ascending tag
   * order. Fields at their default are left out by the caller, as Kafka does.
   */
  taggedFields(fields: readonly { tag: number; write: (w: Writer) => void }[] = []): this {
    this.uvarint(fields.length);
    let last = -1;
    for (const f of [...fields].sort((a, b) => a.tag - b.tag)) {
      if (f.tag === last) throw new RangeError(`tagged field ${f.tag} written twice`);
      last = f.tag;
      const inner = new Writer(32);
      f.write(inner);
      this.uvarint(f.tag).uvarint(inner.length);
      for (const b of inner.toBuffers()) this.raw(b);
    }
    return this;
  }

  /** Raw bytes with no length prefix; large runs are referenced, not copied. */
  raw(b: Uint8Array): this {
    if (b.length >= 1024) {
      if (this.pos > 0) {
        this.chunks.push(this.cur.subarray(0, this.pos));
        this.done += this.pos;
        this.cur = this.cur.subarray(this.pos);
        this.pos = 0;
      }
      this.chunks.push(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length));
      this.done += b.length;
      return this;
    }
    const at = this.room(b.length);
    this.cur.set(b, at);
    return this;
  }

  array<T>(items: readonly T[], item: (w: this, v: T) => void, compact = false): this {
    this.lengthPrefix(items.length, compact, true);
    for (const v of items) item(this, v);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: this, v: T) => void, compact = false): this {
    return items === null ? this.lengthPrefix(null, compact, true) : this.array(items, item, compact);
  }

  compactArray<T>(items: readonly T[], item: (w: this, v: T) => void): this { return this.array(items, item, true); }
  compactNullableArray<T>(items: readonly T[] | null, item: (w: this, v: T) => void): this {
    return this.nullableArray(items, item, true);
  }

  toBuffers(): Buffer[] {
    return this.pos > 0 ? [...this.chunks, this.cur.subarray(0, this.pos)] : [...this.chunks];
  }

  toBuffer(): Buffer {
    const parts = this.toBuffers();
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.length);
  }
}
