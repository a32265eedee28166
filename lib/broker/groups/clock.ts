// Time for the group coordinator: session timeouts, rebalance timeouts and the initial
// rebalance delay are all timers. Injecting the clock lets tests step time deterministically.

/** Cancels a scheduled callback; calling it after the callback ran is a no-op. */
export type Cancel = () => void;

export interface Clock {
  now(): number;
  /** Runs `fn` once, `delayMs` from now. */
  schedule(delayMs: number, fn: () => void): Cancel;
}

/** Wall-clock time; timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref();
    return () => clearTimeout(t);
  },
};

interface Timer { at: number; seq: number; fn: () => void; live: boolean }

/** A clock that only moves when told to; due timers run in deadline order, ties in schedule order. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const timer: Timer = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return () => { timer.live = false; };
  }

  /** Moves time forward by `ms`, running every timer that falls due (including ones they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => x.live);
      let next: Timer | undefined;
      for (const x of this.timers) {
        if (x.at <= end && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      }
      if (!next) break;
      next.live = false;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }

  /** Timers still waiting to run. */
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }
}
