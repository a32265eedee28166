import type { KeyValueBytesStore } from '../api/store.ts';
import { decodeKey, segmentPrefix } from './key-schema.ts';

/**
 * Time segments of one byte store, as Kafka Streams' segmented stores: segment id =
 * time / interval; a put advances stream time; segments older than the retention are
 * deleted whole and refuse new writes.
 */
export class Segments {
  #streamTime = -1;
  /** Segment ids holding data; read from the store at first use (after a restore). */
  #live: Set<number> | undefined;

  constructor(
    private readonly store: () => KeyValueBytesStore,
    readonly retentionMs: number,
    readonly intervalMs: number,
  ) {
    if (!(retentionMs >= 0) || !(intervalMs > 0)) throw new RangeError(`Invalid retention ${retentionMs} / segment interval ${intervalMs}`);
  }

  segmentId(time: number): number {
    return Math.floor(Math.max(0, time) / this.intervalMs);
  }

  /**
   * The oldest time still live: Kafka Streams hides records older than the retention at once
   * (not only when their whole segment is dropped).
   */
  minLiveTime(): number {
    return this.#streamTime < 0 ? 0 : Math.max(0, this.#streamTime - this.retentionMs + 1);
  }

  /** The oldest segment still live at the current stream time. */
  minLiveSegment(): number {
    return this.#streamTime < 0 ? 0 : this.segmentId(this.#streamTime - this.retentionMs);
  }

  /** Advances stream time to `time`; answers the segment to write `time` to, or undefined when it expired. */
  segmentForWrite(time: number): number | undefined {
    if (time > this.#streamTime) {
      this.#streamTime = time;
      this.#dropExpired();
    }
    const id = this.segmentId(time);
    if (time < this.minLiveTime()) return undefined;
    this.#known().add(id);
    return id;
  }

  /** Live segment ids overlapping `[from, to]`, oldest first. */
  search(from: number, to: number): number[] {
    const first = Math.max(this.segmentId(Math.max(0, from)), this.minLiveSegment());
    const last = this.segmentId(Math.min(to, Number.MAX_SAFE_INTEGER));
    return [...this.#known()].filter((s) => s >= first && s <= last).sort((a, b) => a - b);
  }

  #known(): Set<number> {
    if (!this.#live) {
      this.#live = new Set();
      for (const { key } of this.store().all()) this.#live.add(decodeKey(key).segment);
    }
    return this.#live;
  }

  #dropExpired(): void {
    const min = this.minLiveSegment();
    const known = this.#known();
    for (const id of [...known]) {
      if (id >= min) continue;
      const store = this.store();
      const keys = [...store.range(segmentPrefix(id), segmentPrefix(id + 1))].map((e) => e.key);
      for (const key of keys) store.delete(key);
      known.delete(id);
    }
  }
}
