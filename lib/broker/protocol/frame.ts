// Splits a TCP byte stream into size-prefixed frames. A negative or oversized size is a
// protocol violation: the caller closes the connection (the real broker does the same,
// see socket.request.max.bytes).

export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
}

export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private want = -1; // size of the frame being collected, -1 while reading its prefix

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as frames (bounded by maxFrameBytes + 4). */
  get buffered(): number { return this.pendingBytes; }

  /** Feeds a chunk; returns the frames (without size prefix) it completed. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.want < 0) {
        if (this.pendingBytes < 4) break;
        const size = this.take(4).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) {
          throw new FrameTooLargeError(`frame of ${size} bytes, limit is ${this.maxFrameBytes} (maxFrameBytes)`);
        }
        this.want = size;
      }
      if (this.pendingBytes < this.want) break;
      frames.push(this.take(this.want));
      this.want = -1;
    }
    return frames;
  }

  private take(n: number): Buffer {
    const first = this.pending[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      this.pendingBytes -= n;
      return out;
    }
    const all = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = all.length > n ? [all.subarray(n)] : [];
    this.pendingBytes -= n;
    return all.subarray(0, n);
  }
}
