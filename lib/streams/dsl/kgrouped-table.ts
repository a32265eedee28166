import type { Record } from '../api/record.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';
import type { Change } from './change.ts';
import type { Grouped, Materialized } from './options.ts';
import { Serdes } from '../serdes.ts';
import { changeSerde } from './change.ts';
import { processor, requireSerde, throughRepartition, timestampedStore, type Dsl } from './internal.ts';
import { materializedNode } from './table-node.ts';
import { KTable } from './ktable.ts';

/**
 * A re-keyed table (Kafka Streams' `KGroupedTable`): each change of the source table reaches
 * the aggregate through a repartition topic as "subtract the old value, add the new one".
 */
export class KGroupedTable<K, V> {
  constructor(
    private readonly dsl: Dsl,
    private readonly parent: string,
    private readonly grouped: Grouped<K, V>,
  ) {}

  count(materialized: Materialized<K, number> = {}): KTable<K, number> {
    return this.#aggregate('count', { ...materialized, valueSerde: materialized.valueSerde ?? Serdes.Int64() },
      () => 0, (_k, _v, agg) => agg + 1, (_k, _v, agg) => agg - 1);
  }

  /** `adder` combines a new value into the aggregate, `subtractor` takes an old one out; the first value is the aggregate. */
  reduce(adder: (aggregate: V, value: V) => V, subtractor: (aggregate: V, value: V) => V, materialized: Materialized<K, V> = {}): KTable<K, V> {
    const valueSerde = materialized.valueSerde ?? this.grouped.valueSerde;
    return this.#aggregate<V>('reduce', { ...materialized, valueSerde }, undefined, (_k, v, agg) => adder(agg, v), (_k, v, agg) => subtractor(agg, v));
  }

  aggregate<VA>(
    initializer: () => VA,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
    materialized: Materialized<K, VA> = {},
  ): KTable<K, VA> {
    return this.#aggregate('aggregate', materialized, initializer, adder, subtractor);
  }

  #aggregate<VA>(
    what: string,
    materialized: Materialized<K, VA>,
    initializer: (() => VA) | undefined,
    adder: (key: K, value: V, aggregate: VA) => VA,
    subtractor: (key: K, value: V, aggregate: VA) => VA,
  ): KTable<K, VA> {
    const storeName = materialized.storeName ?? this.dsl.nextRaw('KTABLE-AGGREGATE-STATE-STORE');
    const where = `KGroupedTable.${what} (store ${storeName})`;
    const keySerde = requireSerde(materialized.keySerde ?? this.grouped.keySerde, 'keySerde', where);
    const groupedValueSerde = requireSerde(this.grouped.valueSerde, 'valueSerde of Grouped', where);
    const valueSerde = requireSerde(materialized.valueSerde, 'valueSerde', where);
    const source = throughRepartition(this.dsl, this.parent, this.grouped.name ?? storeName, keySerde as never, changeSerde(groupedValueSerde) as never);
    const name = this.dsl.nextRaw(what === 'reduce' ? 'KTABLE-REDUCE' : 'KTABLE-AGGREGATE');
    const node = materializedNode<K, VA>(storeName);
    const flags = node.flags;
    this.dsl.topology.addProcessor(name, processor<K, Change<V>, K, Change<VA>>((ctx) => {
      const store = ctx.getStateStore<TimestampedKeyValueStore<K, VA>>(storeName);
      return (r: Record<K, Change<V>>) => {
        const old = store.getWithTimestamp(r.key);
        let timestamp = r.timestamp;
        // Subtract the old value first, then add the new one (Kafka Streams' KTableAggregate / KTableReduce).
        let agg: VA | undefined = old?.value;
        if (r.value.oldValue !== null && old !== undefined) {
          agg = subtractor(r.key, r.value.oldValue, old.value);
          timestamp = Math.max(r.timestamp, old.timestamp);
        }
        if (r.value.newValue !== null) {
          if (agg === undefined) agg = initializer ? adder(r.key, r.value.newValue, initializer()) : r.value.newValue as unknown as VA;
          else agg = adder(r.key, r.value.newValue, agg);
          if (old !== undefined) timestamp = Math.max(r.timestamp, old.timestamp);
        }
        store.putWithTimestamp(r.key, agg ?? null, timestamp);
        ctx.forward(r.withValue({ newValue: agg ?? null, oldValue: flags.sendOldValues ? old?.value ?? null : null }).withTimestamp(timestamp));
      };
    }), source);
    this.dsl.topology.addStateStore(timestampedStore(storeName, materialized, keySerde, valueSerde), name);
    return new KTable<K, VA>(this.dsl, name, { keySerde, valueSerde }, node, storeName);
  }
}
