import type { Record } from '../api/record.ts';
import type { ProcessorContext } from '../api/processor.ts';
import type { Window, WindowEntry, WindowStore, Windowed } from '../../state/api/window-store.ts';
import type { Change } from './change.ts';
import type { SlidingWindows } from './windows.ts';
import { Record as Rec } from '../api/record.ts';
import { processor } from './internal.ts';

/** A window's aggregate and newest record time; `value` undefined is the initializer's. */
interface Agg<VA> {
  readonly value: VA | undefined;
  readonly timestamp: number;
}

/**
 * Kafka Streams' KStreamSlidingWindowAggregate (the reverse-iteration path its RocksDB stores
 * take): each record updates the windows it falls in, creates its left window [t - d, t], the
 * right window of the record before it and its own right window [t + 1, t + 1 + d] when that
 * one holds later records. Records before time d share the window [0, d].
 */
export function slidingAggregate<K, V, VA>(options: {
  readonly storeName: string;
  readonly windows: SlidingWindows;
  readonly flags: { sendOldValues: boolean };
  readonly add: (key: K, value: V, agg: VA | undefined) => VA;
}) {
  const { storeName, flags, add } = options;
  const diff = options.windows.timeDifferenceMs;
  const grace = options.windows.graceMs;
  return processor<K, V, Windowed<K>, Change<VA>>((ctx: ProcessorContext<Windowed<K>, Change<VA>>) => {
    const store = ctx.getStateStore<WindowStore<K, VA>>(storeName);
    let observed = -1;
    const asAgg = (e: WindowEntry<VA>): Agg<VA> => ({ value: e.value, timestamp: e.timestamp });

    const update = (window: Window, agg: Agg<VA>, r: Record<K, V>, closeTime: number) => {
      if (window.end < closeTime) { ctx.recordDropped?.('late'); return; }
      const newAgg = add(r.key, r.value, agg.value);
      const timestamp = Math.max(r.timestamp, agg.timestamp);
      store.put(r.key, newAgg, window.start, timestamp);
      ctx.forward(new Rec({ key: r.key, window }, { newValue: newAgg, oldValue: flags.sendOldValues ? agg.value ?? null : null }, timestamp, r.headers));
    };
    const createCurrentRight = (r: Record<K, V>, right: Agg<VA>) => {
      const window = { start: r.timestamp + 1, end: r.timestamp + 1 + diff };
      store.put(r.key, right.value ?? null, window.start, right.timestamp);
      ctx.forward(new Rec({ key: r.key, window }, { newValue: right.value ?? null, oldValue: null }, right.timestamp, r.headers));
    };
    const fresh = (r: Record<K, V>): Agg<VA> => ({ value: undefined, timestamp: r.timestamp });

    const processEarly = (r: Record<K, V>, closeTime: number) => {
      const ts = r.timestamp;
      let combined: WindowEntry<VA> | undefined;
      let right: Agg<VA> | undefined;
      let rightCreated = false;
      let previous: number | undefined;
      const starts = new Set<number>();
      for (const e of store.fetchRange(r.key, 0, ts + 1)) {
        starts.add(e.windowStart);
        if (e.windowStart === 0) {
          combined = e;
          if (e.timestamp < ts) previous = e.timestamp;
        } else if (e.windowStart <= ts) {
          right = asAgg(e);
          update({ start: e.windowStart, end: e.windowStart + diff }, asAgg(e), r, closeTime);
        } else if (e.windowStart === ts + 1) {
          rightCreated = true;
        }
      }
      if (!right && combined && combined.timestamp > ts) right = asAgg(combined);
      if (!rightCreated && right && right.timestamp > ts) createCurrentRight(r, right);
      if (previous !== undefined && !starts.has(previous + 1)) update({ start: previous + 1, end: previous + 1 + diff }, fresh(r), r, closeTime);
      update({ start: 0, end: diff }, combined ? asAgg(combined) : fresh(r), r, closeTime);
    };

    const processReverse = (r: Record<K, V>, closeTime: number) => {
      const ts = r.timestamp;
      let left: Agg<VA> | undefined;
      let right: Agg<VA> | undefined;
      let leftCreated = false;
      let rightCreated = false;
      let previous: number | undefined;
      const starts = new Set<number>();
      for (const e of store.fetchRange(r.key, Math.max(0, ts - 2 * diff), ts + 1).reverse()) {
        starts.add(e.windowStart);
        const end = e.windowStart + diff;
        if (e.windowStart === ts + 1) {
          rightCreated = true;
        } else if (end > ts) {
          right ??= asAgg(e);
          update({ start: e.windowStart, end }, asAgg(e), r, closeTime);
        } else if (end === ts) {
          leftCreated = true;
          update({ start: e.windowStart, end }, asAgg(e), r, closeTime);
          if (e.timestamp < ts) previous = e.timestamp;
          else return;
        } else {
          left = asAgg(e);
          previous = e.timestamp;
          break;
        }
      }
      if (previous !== undefined && !starts.has(previous + 1) && previous + 1 + diff >= ts) {
        update({ start: previous + 1, end: previous + 1 + diff }, fresh(r), r, closeTime);
      }
      if (!leftCreated) {
        const leftNotEmpty = previous !== undefined && ts - diff <= previous;
        update({ start: ts - diff, end: ts }, leftNotEmpty && left ? { value: left.value, timestamp: ts } : fresh(r), r, closeTime);
      }
      if (!rightCreated && right && right.timestamp > ts) createCurrentRight(r, right);
    };

    return (r: Record<K, V>) => {
      if (r.key === null || r.key === undefined || r.value === null || r.value === undefined) { ctx.recordDropped?.('null-key-or-value'); return; }
      observed = Math.max(observed, r.timestamp);
      const closeTime = observed - grace;
      if (r.timestamp + diff < closeTime) { ctx.recordDropped?.('late'); return; }
      if (r.timestamp < diff) processEarly(r, closeTime);
      else processReverse(r, closeTime);
    };
  });
}
