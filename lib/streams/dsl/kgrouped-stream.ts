import type { Record } from '../api/record.ts';
import type { Serde } from '../api/serde.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';
import type { Change } from './change.ts';
import type { Grouped, Materialized } from './options.ts';
import { Serdes } from '../serdes.ts';
import { processor, requireSerde, throughRepartition, timestampedStore, type Dsl, type KnownSerdes } from './internal.ts';
import { materializedNode } from './table-node.ts';
import { KTable } from './ktable.ts';
import { SessionWindows, type SlidingWindows, type TimeWindows } from './windows.ts';
import { SessionWindowedKStream, TimeWindowedKStream } from './windowed-kstream.ts';

/** A grouping of the records of a stream: what a repartition may need and where they flow from. */
export interface Grouping<K, V> {
  readonly dsl: Dsl;
  readonly parent: string;
  readonly serdes: KnownSerdes<K, V>;
  readonly repartitionRequired: boolean;
  readonly grouped: Grouped<K, V>;
}

/** The node a stateful operator reads from: the grouping's parent, or a repartition topic's source when the key changed. */
export function groupedSource<K, V>(g: Grouping<K, V>, storeName: string): string {
  if (!g.repartitionRequired) return g.parent;
  const where = `The repartition of ${g.grouped.name ?? storeName}`;
  const keySerde = requireSerde(g.grouped.keySerde ?? g.serdes.keySerde, 'keySerde', where);
  const valueSerde = requireSerde(g.grouped.valueSerde ?? g.serdes.valueSerde, 'valueSerde', where);
  return throughRepartition(g.dsl, g.parent, g.grouped.name ?? storeName, keySerde as Serde<unknown>, valueSerde as Serde<unknown>);
}

/** A stream grouped by key (Kafka Streams' `KGroupedStream`): aggregations make tables. */
export class KGroupedStream<K, V> {
  constructor(readonly grouping: Grouping<K, V>) {}

  /** Records per key; records with a null key or value are dropped, as in Kafka Streams. */
  count(materialized: Materialized<K, number> = {}): KTable<K, number> {
    return this.#aggregate('count', { ...materialized, valueSerde: materialized.valueSerde ?? Serdes.Int64() }, (_k, _v, agg: number | undefined) => (agg ?? 0) + 1);
  }

  /** Combines each value with the key's aggregate; the first value is the aggregate. */
  reduce(reducer: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}): KTable<K, V> {
    const valueSerde = materialized.valueSerde ?? this.grouping.grouped.valueSerde ?? this.grouping.serdes.valueSerde;
    return this.#aggregate('reduce', { ...materialized, valueSerde }, (_k, v, agg: V | undefined) => (agg === undefined ? v : reducer(agg, v)));
  }

  aggregate<VA>(initializer: () => VA, aggregator: (key: K, value: V, aggregate: VA) => VA, materialized: Materialized<K, VA> = {}): KTable<K, VA> {
    return this.#aggregate('aggregate', materialized, (k, v, agg: VA | undefined) => aggregator(k, v, agg === undefined ? initializer() : agg));
  }

  /** Windowed aggregations: tumbling or hopping (`TimeWindows`), sliding or session windows. */
  windowedBy<W extends TimeWindows | SlidingWindows | SessionWindows>(windows: W): W extends SessionWindows ? SessionWindowedKStream<K, V> : TimeWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStream(this.grouping, windows) as never;
    return new TimeWindowedKStream(this.grouping, windows as TimeWindows | SlidingWindows) as never;
  }

  #aggregate<VA>(what: string, materialized: Materialized<K, VA>, add: (key: K, value: V, agg: VA | undefined) => VA): KTable<K, VA> {
    const { dsl } = this.grouping;
    const storeName = materialized.storeName ?? dsl.nextRaw('KSTREAM-AGGREGATE-STATE-STORE');
    const source = groupedSource(this.grouping, storeName);
    const name = dsl.nextRaw(what === 'reduce' ? 'KSTREAM-REDUCE' : 'KSTREAM-AGGREGATE');
    const keySerde = requireSerde(materialized.keySerde ?? this.grouping.grouped.keySerde ?? this.grouping.serdes.keySerde, 'keySerde', `${what} (store ${storeName})`);
    const valueSerde = requireSerde(materialized.valueSerde, 'valueSerde', `${what} (store ${storeName})`);
    const node = materializedNode<K, VA>(storeName);
    dsl.topology.addProcessor(name, streamAggregate<K, V, VA>(storeName, node.flags, add), source);
    dsl.topology.addStateStore(timestampedStore(storeName, materialized, keySerde, valueSerde), name);
    return new KTable<K, VA>(dsl, name, { keySerde, valueSerde }, node, storeName);
  }
}

/** Kafka Streams' KStreamAggregate/KStreamReduce: the aggregate's timestamp is the newest of its records'. */
function streamAggregate<K, V, VA>(storeName: string, flags: { sendOldValues: boolean }, add: (key: K, value: V, agg: VA | undefined) => VA) {
  return processor<K, V, K, Change<VA>>((ctx) => {
    const store = ctx.getStateStore<TimestampedKeyValueStore<K, VA>>(storeName);
    return (r: Record<K, V>) => {
      if (r.key === null || r.key === undefined || r.value === null || r.value === undefined) { ctx.recordDropped?.('null-key-or-value'); return; }
      const old = store.getWithTimestamp(r.key);
      const agg = add(r.key, r.value, old?.value);
      const timestamp = old === undefined ? r.timestamp : Math.max(r.timestamp, old.timestamp);
      store.putWithTimestamp(r.key, agg, timestamp);
      ctx.forward(r.withValue({ newValue: agg, oldValue: flags.sendOldValues ? old?.value ?? null : null }).withTimestamp(timestamp));
    };
  });
}
