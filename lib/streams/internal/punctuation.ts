import type { Cancellable, PunctuationType, Punctuator } from '../api/processor.ts';

export interface Schedule extends Cancellable {
  readonly type: PunctuationType;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  /** The node whose context runs the punctuator (its forwards go to that node's children). */
  readonly nodeName: string;
  next: number;
  cancelled: boolean;
}

/** Punctuation schedules of one task; `due` returns those to fire and moves them on. */
export class PunctuationQueue {
  readonly #schedules: Schedule[] = [];

  add(nodeName: string, type: PunctuationType, intervalMs: number, punctuator: Punctuator, start: number): Schedule {
    if (!(intervalMs >= 1)) throw new RangeError(`Punctuation interval must be >= 1 ms, got ${intervalMs}`);
    const schedule: Schedule = {
      type, intervalMs, punctuator, nodeName, next: start, cancelled: false,
      cancel: () => { schedule.cancelled = true; },
    };
    this.#schedules.push(schedule);
    return schedule;
  }

  get size(): number {
    return this.#schedules.length;
  }

  /**
   * Schedules of `type` due at `now`. Missed intervals fire once, then the next time is
   * aligned to the schedule's grid, as Kafka Streams' PunctuationSchedule does.
   */
  due(type: PunctuationType, now: number): Schedule[] {
    const out: Schedule[] = [];
    for (let i = this.#schedules.length - 1; i >= 0; i--) {
      if (this.#schedules[i]!.cancelled) this.#schedules.splice(i, 1);
    }
    for (const s of this.#schedules) {
      if (s.type !== type || now < s.next) continue;
      out.push(s);
      const next = s.next + s.intervalMs;
      s.next = now >= next ? now - ((now - s.next) % s.intervalMs) + s.intervalMs : next;
    }
    return out;
  }
}
