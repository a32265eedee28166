import type { Record } from '../api/record.ts';
import type { Serde } from '../api/serde.ts';
import type { SessionStore, Window, WindowStore, Windowed } from '../../state/api/window-store.ts';
import type { Change } from './change.ts';
import type { Materialized } from './options.ts';
import type { Grouping } from './kgrouped-stream.ts';
import type { TableNode } from './table-node.ts';
import { Record as Rec } from '../api/record.ts';
import { Serdes } from '../serdes.ts';
import { Stores } from '../../state/stores.ts';
import { groupedSource } from './kgrouped-stream.ts';
import { processor, requireSerde, withLogging } from './internal.ts';
import { KTable } from './ktable.ts';
import { SlidingWindows, WindowedSerdes, type SessionWindows, type TimeWindows } from './windows.ts';
import { slidingAggregate } from './sliding-aggregate.ts';

type Agg<K, V, VA> = (key: K, value: V, agg: VA | undefined) => VA;

function storeSetup<K, V, VA>(g: Grouping<K, V>, what: string, materialized: Materialized<K, VA>) {
  const storeName = materialized.storeName ?? g.dsl.nextRaw('KSTREAM-AGGREGATE-STATE-STORE');
  const where = `windowed ${what} (store ${storeName})`;
  const keySerde = requireSerde(materialized.keySerde ?? g.grouped.keySerde ?? g.serdes.keySerde, 'keySerde', where);
  const valueSerde = requireSerde(materialized.valueSerde, 'valueSerde', where);
  return { storeName, keySerde, valueSerde, source: groupedSource(g, storeName), name: g.dsl.nextRaw('KSTREAM-AGGREGATE') };
}

/**
 * Aggregations over time windows (Kafka Streams' `TimeWindowedKStream`): tumbling, hopping or
 * sliding. Results are keyed by `Windowed<K>`.
 */
export class TimeWindowedKStream<K, V> {
  constructor(private readonly grouping: Grouping<K, V>, private readonly windows: TimeWindows | SlidingWindows) {}

  /** Records per key and window; late records (past the window's end plus grace) are dropped and counted. */
  count(materialized: Materialized<K, number> = {}): KTable<Windowed<K>, number> {
    return this.#aggregate('count', { ...materialized, valueSerde: materialized.valueSerde ?? Serdes.Int64() }, (_k, _v, agg) => (agg ?? 0) + 1);
  }

  reduce(reducer: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}): KTable<Windowed<K>, V> {
    const valueSerde = materialized.valueSerde ?? this.grouping.grouped.valueSerde ?? this.grouping.serdes.valueSerde;
    return this.#aggregate('reduce', { ...materialized, valueSerde }, (_k, v, agg) => (agg === undefined ? v : reducer(agg, v)));
  }

  aggregate<VA>(initializer: () => VA, aggregator: (key: K, value: V, aggregate: VA) => VA, materialized: Materialized<K, VA> = {}): KTable<Windowed<K>, VA> {
    return this.#aggregate('aggregate', materialized, (k, v, agg) => aggregator(k, v, agg === undefined ? initializer() : agg));
  }

  #aggregate<VA>(what: string, materialized: Materialized<K, VA>, add: Agg<K, V, VA>): KTable<Windowed<K>, VA> {
    const g = this.grouping;
    const windows = this.windows;
    const { storeName, keySerde, valueSerde, source, name } = storeSetup(g, what, materialized);
    const sliding = windows instanceof SlidingWindows;
    const sizeMs = sliding ? windows.timeDifferenceMs : windows.sizeMs;
    // A sliding aggregate reads windows up to twice the time difference back (Kafka Streams' minimum).
    const minRetention = (sliding ? 2 * sizeMs : sizeMs) + windows.graceMs;
    const retentionMs = materialized.retentionMs ?? minRetention;
    if (retentionMs < minRetention) throw new RangeError(`Store ${storeName}: retention ${retentionMs} ms is less than the windows need (${minRetention} ms)`);
    const options = { retentionMs, windowSizeMs: sizeMs };
    const supplier = materialized.storeType === 'in-memory' ? Stores.inMemoryWindowStore(storeName, options) : Stores.persistentWindowStore(storeName, options);
    const flags = { sendOldValues: false };
    if (sliding) {
      g.dsl.topology.addProcessor(name, slidingAggregate<K, V, VA>({ storeName, windows, flags, add }), source);
    } else {
      const w = windows;
      g.dsl.topology.addProcessor(name, processor<K, V, Windowed<K>, Change<VA>>((ctx) => {
      const store = ctx.getStateStore<WindowStore<K, VA>>(storeName);
      let observed = -1;
      // Kafka Streams' KStreamWindowAggregate: every window of the record still open takes it.
      return (r: Record<K, V>) => {
        if (r.key === null || r.key === undefined) { ctx.recordDropped?.('null-key'); return; }
        observed = Math.max(observed, r.timestamp);
        const closeTime = observed - w.graceMs;
        for (const window of w.windowsFor(r.timestamp)) {
          if (window.end <= closeTime) { ctx.recordDropped?.('late'); continue; }
          const old = store.fetchWithTimestamp(r.key, window.start);
          const agg = add(r.key, r.value, old?.value);
          const timestamp = old === undefined ? r.timestamp : Math.max(r.timestamp, old.timestamp);
          store.put(r.key, agg, window.start, timestamp);
          ctx.forward(new Rec({ key: r.key, window }, { newValue: agg, oldValue: flags.sendOldValues ? old?.value ?? null : null }, timestamp, r.headers));
        }
      };
      }), source);
    }
    g.dsl.topology.addStateStore(withLogging(Stores.windowStoreBuilder(supplier, keySerde, valueSerde), materialized as Materialized<unknown, unknown>), name);
    const node: TableNode<Windowed<K>, VA> & { closeAfterMs: number } = {
      flags, closeAfterMs: windows.graceMs,
      enableSendingOldValues: () => { flags.sendOldValues = true; },
      valueGetter: () => ({
        storeNames: [storeName],
        init: (ctx) => {
          const store = ctx.getStateStore<WindowStore<K, VA>>(storeName);
          return (key) => store.fetchWithTimestamp(key.key, key.window.start);
        },
      }),
    };
    return new KTable<Windowed<K>, VA>(g.dsl, name, { keySerde: WindowedSerdes.timeWindowed(keySerde, sizeMs), valueSerde }, node, storeName);
  }
}

/** Aggregations over session windows (Kafka Streams' `SessionWindowedKStream`). */
export class SessionWindowedKStream<K, V> {
  constructor(private readonly grouping: Grouping<K, V>, private readonly windows: SessionWindows) {}

  count(materialized: Materialized<K, number> = {}): KTable<Windowed<K>, number> {
    return this.#aggregate('count', { ...materialized, valueSerde: materialized.valueSerde ?? Serdes.Int64() },
      () => 0, (_k, _v, agg) => agg + 1, (_k, a, b) => a + b);
  }

  reduce(reducer: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}): KTable<Windowed<K>, V> {
    const valueSerde = materialized.valueSerde ?? this.grouping.grouped.valueSerde ?? this.grouping.serdes.valueSerde;
    // Kafka Streams reduces with a null initial aggregate: the first value becomes the aggregate.
    return this.#aggregate<V>('reduce', { ...materialized, valueSerde }, () => null as unknown as V,
      (_k, v, agg) => (agg === null ? v : reducer(agg, v)), (_k, a, b) => (a === null ? b : reducer(a, b)));
  }

  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<Windowed<K>, VA> {
    return this.#aggregate('aggregate', materialized, initializer, aggregator, merger);
  }

  #aggregate<VA>(
    what: string,
    materialized: Materialized<K, VA>,
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA,
    merger: (key: K, a: VA, b: VA) => VA,
  ): KTable<Windowed<K>, VA> {
    const g = this.grouping;
    const { inactivityGapMs: gap, graceMs } = this.windows;
    const { storeName, keySerde, valueSerde, source, name } = storeSetup(g, what, materialized);
    const retentionMs = materialized.retentionMs ?? gap + graceMs;
    const supplier = materialized.storeType === 'in-memory' ? Stores.inMemorySessionStore(storeName, { retentionMs }) : Stores.persistentSessionStore(storeName, { retentionMs });
    const flags = { sendOldValues: false };
    g.dsl.topology.addProcessor(name, processor<K, V, Windowed<K>, Change<VA>>((ctx) => {
      const store = ctx.getStateStore<SessionStore<K, VA>>(storeName);
      let observed = -1;
      const emit = (session: Windowed<K>, newValue: VA | null, oldValue: VA | null, r: Record<K, V>) =>
        ctx.forward(new Rec(session, { newValue, oldValue: flags.sendOldValues ? oldValue : null }, session.window.end, r.headers));
      // Kafka Streams' KStreamSessionWindowAggregate: the record's session merges with every session within the gap.
      return (r: Record<K, V>) => {
        if (r.key === null || r.key === undefined) { ctx.recordDropped?.('null-key'); return; }
        observed = Math.max(observed, r.timestamp);
        const closeTime = observed - graceMs - gap;
        const fresh: Window = { start: r.timestamp, end: r.timestamp };
        let merged = fresh;
        let agg = initializer();
        const overlapping = store.findSessions(r.key, r.timestamp - gap, r.timestamp + gap);
        for (const s of overlapping) {
          agg = merger(r.key, agg, s.value);
          merged = { start: Math.min(merged.start, s.key.window.start), end: Math.max(merged.end, s.key.window.end) };
        }
        if (merged.end < closeTime) { ctx.recordDropped?.('late'); return; }
        if (merged.start !== fresh.start || merged.end !== fresh.end) {
          for (const s of overlapping) {
            store.remove(s.key);
            emit(s.key, null, s.value, r);
          }
        }
        agg = aggregator(r.key, r.value, agg);
        const session = { key: r.key, window: merged };
        store.put(session, agg);
        emit(session, agg, null, r);
      };
    }), source);
    g.dsl.topology.addStateStore(withLogging(Stores.sessionStoreBuilder(supplier, keySerde, valueSerde), materialized as Materialized<unknown, unknown>), name);
    const node: TableNode<Windowed<K>, VA> & { closeAfterMs: number } = {
      flags, closeAfterMs: graceMs + gap,
      enableSendingOldValues: () => { flags.sendOldValues = true; },
      valueGetter: () => ({
        storeNames: [storeName],
        init: (ctx) => {
          const store = ctx.getStateStore<SessionStore<K, VA>>(storeName);
          return (key) => {
            const value = store.fetchSession(key.key, key.window.start, key.window.end);
            return value === undefined ? undefined : { value, timestamp: key.window.end };
          };
        },
      }),
    };
    return new KTable<Windowed<K>, VA>(g.dsl, name, { keySerde: WindowedSerdes.sessionWindowed(keySerde) as Serde<Windowed<K>>, valueSerde }, node, storeName);
  }
}
