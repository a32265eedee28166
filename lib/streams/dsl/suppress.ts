import type { Headers } from '../api/record.ts';
import type { Windowed } from '../../state/api/window-store.ts';
import type { Change } from './change.ts';
import { Record } from '../api/record.ts';
import { processor } from './internal.ts';

/**
 * What `KTable.suppress` holds back (Kafka Streams' `Suppressed`): `untilWindowCloses` emits one
 * final result per window once stream time passes its end plus the grace; `untilTimeLimit`
 * emits a key's latest update once stream time is `timeLimitMs` past it.
 */
export type Suppressed =
  | { readonly kind: 'until-window-closes' }
  | { readonly kind: 'until-time-limit'; readonly timeLimitMs: number };

export const Suppressed = {
  untilWindowCloses: (): Suppressed => ({ kind: 'until-window-closes' }),
  untilTimeLimit: (timeLimitMs: number): Suppressed => ({ kind: 'until-time-limit', timeLimitMs }),
} as const;

interface Buffered<K, V> {
  readonly key: K;
  readonly id: string;
  readonly change: Change<V>;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly time: number;
}

function keyId(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

/**
 * Kafka Streams' KTableSuppressProcessor with an unbounded in-memory buffer: one entry per key
 * (the latest update replaces the buffered one), evicted oldest buffer time first while it is
 * at most stream time minus the suppression. Final results drop tombstones.
 */
export function suppressProcessor<K, V>(suppressed: Suppressed, closeAfterMs: number | undefined) {
  const windowClose = suppressed.kind === 'until-window-closes';
  const duration = windowClose ? closeAfterMs ?? 0 : suppressed.timeLimitMs;
  return processor<K, Change<V>, K, Change<V>>((ctx) => {
    const buffer = new Map<string, Buffered<K, V>>();
    let observed = -1;
    return (r) => {
      observed = Math.max(observed, r.timestamp);
      const id = keyId(r.key);
      const time = windowClose ? (r.key as unknown as Windowed<unknown>).window.end : r.timestamp;
      buffer.delete(id);
      buffer.set(id, { key: r.key, id, change: r.value, timestamp: r.timestamp, headers: r.headers, time });
      const expiry = observed - duration;
      const due = [...buffer.values()].filter((b) => b.time <= expiry)
        .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const b of due) {
        buffer.delete(b.id);
        if (windowClose && b.change.newValue === null) continue;
        ctx.forward(new Record(b.key, b.change, b.timestamp, b.headers));
      }
    };
  });
}
