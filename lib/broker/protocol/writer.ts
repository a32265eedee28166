// Writes Kafka's primitive types. Small fields go into a growing scratch buffer; large
// byte runs (stored record batches) are kept as separate chunks so a fetch response does
// not copy them. `toBuffers()` hands the chunks to socket.write / Buffer.concat.

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

  string(s: string): this { return this.nullableString(s); }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s, 'utf8');
    this.int16(len);
    const at = this.room(len);
    this.cur.write(s, at, len, 'utf8');
    return this;
  }

  bytes(b: Uint8Array): this { return this.nullableBytes(b); }

  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
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

  array<T>(items: readonly T[], item: (w: this, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: this, v: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, item);
  }

  toBuffers(): Buffer[] {
    return this.pos > 0 ? [...this.chunks, this.cur.subarray(0, this.pos)] : [...this.chunks];
  }

  toBuffer(): Buffer {
    const parts = this.toBuffers();
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.length);
  }
}
