/**
 * A least-recently-used cache of values by byte key, bounded by entry count. A `Map` keeps
 * insertion order, so re-inserting on a hit moves the entry to the young end.
 */
export class ValueCache {
  readonly #entries = new Map<string, Uint8Array>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const id = idOf(key);
    const value = this.#entries.get(id);
    if (value !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, value);
    }
    return value;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    if (this.capacity <= 0) return;
    const id = idOf(key);
    this.#entries.delete(id);
    this.#entries.set(id, value);
    if (this.#entries.size > this.capacity) {
      const eldest = this.#entries.keys().next();
      if (!eldest.done) this.#entries.delete(eldest.value);
    }
  }

  delete(key: Uint8Array): void {
    this.#entries.delete(idOf(key));
  }
}

// latin1 maps each byte to one char, so distinct keys give distinct strings.
function idOf(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}
