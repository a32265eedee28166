import type { Serde } from '../api/serde.ts';
import type { Window, Windowed } from '../../state/api/window-store.ts';

function checkMs(value: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer >= ${min} ms, got ${value}`);
  return value;
}

/**
 * Fixed-size windows by record time (Kafka Streams' `TimeWindows`): tumbling, or hopping with
 * `advanceBy`. A window [start, start + size) takes records until stream time passes its end plus the grace.
 */
export class TimeWindows {
  private constructor(readonly sizeMs: number, readonly advanceMs: number, readonly graceMs: number) {}

  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    return new TimeWindows(checkMs(sizeMs, 'Window size', 1), sizeMs, checkMs(graceMs, 'Grace'));
  }

  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Hopping windows: a new window every `advanceMs` (at most the size). */
  advanceBy(advanceMs: number): TimeWindows {
    if (checkMs(advanceMs, 'Advance', 1) > this.sizeMs) throw new RangeError(`Advance (${advanceMs} ms) must not exceed the window size (${this.sizeMs} ms)`);
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** Start times of the windows that contain `timestamp`. */
  windowsFor(timestamp: number): Window[] {
    const out: Window[] = [];
    let start = Math.floor(Math.max(0, timestamp - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; start <= timestamp; start += this.advanceMs) out.push({ start, end: start + this.sizeMs });
    return out;
  }
}

/**
 * Windows of `timeDifferenceMs` that end at each record (Kafka Streams' `SlidingWindows`):
 * [t - difference, t], both ends inclusive, as many as the distinct record sets need.
 */
export class SlidingWindows {
  private constructor(readonly timeDifferenceMs: number, readonly graceMs: number) {}

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    return new SlidingWindows(checkMs(timeDifferenceMs, 'Time difference', 1), checkMs(graceMs, 'Grace'));
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }
}

/** Sessions of activity separated by gaps of more than `inactivityGapMs` (Kafka Streams' `SessionWindows`). */
export class SessionWindows {
  private constructor(readonly inactivityGapMs: number, readonly graceMs: number) {}

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    return new SessionWindows(checkMs(inactivityGapMs, 'Inactivity gap', 1), checkMs(graceMs, 'Grace'));
  }

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }
}

/** How far apart two records may be to join (Kafka Streams' `JoinWindows`): `before` and `after` the left record. */
export class JoinWindows {
  private constructor(readonly beforeMs: number, readonly afterMs: number, readonly graceMs: number) {}

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    return new JoinWindows(checkMs(timeDifferenceMs, 'Time difference'), timeDifferenceMs, checkMs(graceMs, 'Grace'));
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  before(beforeMs: number): JoinWindows {
    return new JoinWindows(checkMs(beforeMs, 'Before'), this.afterMs, this.graceMs);
  }

  after(afterMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, checkMs(afterMs, 'After'), this.graceMs);
  }
}

/**
 * Serdes of windowed keys, byte-compatible with Kafka Streams' `WindowedSerdes`: a time window
 * is the key then its start (8 bytes big-endian; the end is start + size), a session window is
 * the key, its end, then its start.
 */
export const WindowedSerdes = {
  timeWindowed<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
    return {
      serialize: (w, topic) => {
        const key = inner.serialize(w.key, topic);
        const out = new Uint8Array(key.length + 8);
        out.set(key);
        new DataView(out.buffer).setBigInt64(key.length, BigInt(w.window.start));
        return out;
      },
      deserialize: (bytes, topic) => {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const start = Number(view.getBigInt64(bytes.length - 8));
        return { key: inner.deserialize(bytes.subarray(0, bytes.length - 8), topic), window: { start, end: start + windowSizeMs } };
      },
    };
  },
  sessionWindowed<K>(inner: Serde<K>): Serde<Windowed<K>> {
    return {
      serialize: (w, topic) => {
        const key = inner.serialize(w.key, topic);
        const out = new Uint8Array(key.length + 16);
        out.set(key);
        const view = new DataView(out.buffer);
        view.setBigInt64(key.length, BigInt(w.window.end));
        view.setBigInt64(key.length + 8, BigInt(w.window.start));
        return out;
      },
      deserialize: (bytes, topic) => {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const end = Number(view.getBigInt64(bytes.length - 16));
        const start = Number(view.getBigInt64(bytes.length - 8));
        return { key: inner.deserialize(bytes.subarray(0, bytes.length - 16), topic), window: { start, end } };
      },
    };
  },
} as const;
