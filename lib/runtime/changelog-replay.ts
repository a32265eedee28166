import type { Headers } from '../streams/api/record.ts';

/**
 * Marks the changelog records of a commit sent before its last request: they only count once a
 * later record without this header (the last request's, carrying the position header) landed.
 */
export const PENDING_HEADER = 'modelstream.pending';

export function isPending(headers: Headers): boolean {
  return headers.some((h) => h.key === PENDING_HEADER);
}

/**
 * Restore-side gate of one changelog partition: holds back pending records until a confirmed
 * record follows. What is still held at the end belongs to a commit that never finished (its
 * source offsets were not committed, so its input is processed again) and is not applied.
 */
export class ChangelogReplay<R extends { readonly headers: Headers }> {
  #held: R[] = [];

  /** The records of a fetched batch that are safe to apply, in order (earlier held ones first). */
  accept(records: readonly R[]): R[] {
    const ready: R[] = [];
    for (const r of records) {
      if (isPending(r.headers)) {
        this.#held.push(r);
        continue;
      }
      if (this.#held.length) {
        ready.push(...this.#held);
        this.#held = [];
      }
      ready.push(r);
    }
    return ready;
  }

  /** Records of an unfinished commit at the end of the changelog, never applied. */
  get unconfirmed(): number {
    return this.#held.length;
  }

  /** Those records themselves (see TaskManager's restore: their keys are logged again). */
  held(): readonly R[] {
    return this.#held;
  }
}
