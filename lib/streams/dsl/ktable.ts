import type { KeyValue } from '../api/record.ts';
import type { Change } from './change.ts';
import type { Grouped, Materialized, Named } from './options.ts';
import type { Suppressed } from './suppress.ts';
import { processor, requireSerde, timestampedStore, type Dsl, type KnownSerdes } from './internal.ts';
import { materializedNode, type TableNode, type ValueGetterSupplier } from './table-node.ts';
import { tableTransform } from './table-processors.ts';
import { joinTables, type TableJoinKind } from './table-joins.ts';
import { KGroupedTable } from './kgrouped-table.ts';
import { KStream } from './kstream.ts';
import { suppressProcessor, suppressionStore } from './suppress.ts';
import { Record } from '../api/record.ts';
import { TopologyError } from '../api/errors.ts';

export interface TableOperatorOptions<K, V> extends Named {
  /** Keeps the result in a store of its own (queryable, and read by joins). */
  readonly materialized?: Materialized<K, V>;
}

/**
 * A changelog stream read as a table, as Kafka Streams' `KTable`: each key's latest value.
 * Its nodes forward changes (new value, and the old one when a child needs it).
 */
export class KTable<K, V> {
  constructor(
    readonly dsl: Dsl,
    readonly nodeName: string,
    readonly serdes: KnownSerdes<K, V>,
    readonly node: TableNode<K, V>,
    /** The store holding this table, when it is materialized. */
    readonly queryableStoreName?: string,
  ) {}

  filter(predicate: (key: K, value: V) => boolean, options: TableOperatorOptions<K, V> = {}): KTable<K, V> {
    return this.#transform('KTABLE-FILTER', options, (k, v) => (v !== null && predicate(k, v) ? v : null), true, this.serdes.valueSerde);
  }

  filterNot(predicate: (key: K, value: V) => boolean, options: TableOperatorOptions<K, V> = {}): KTable<K, V> {
    return this.#transform('KTABLE-FILTER', options, (k, v) => (v !== null && !predicate(k, v) ? v : null), true, this.serdes.valueSerde);
  }

  /** Null values (deleted keys) stay null: the mapper never sees them. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, options: TableOperatorOptions<K, VR> = {}): KTable<K, VR> {
    return this.#transform('KTABLE-MAPVALUES', options, (k, v) => (v === null ? null : mapper(v, k)), false, undefined);
  }

  /** The table's changes as a stream of new values (null for a delete). */
  toStream(options: Named = {}): KStream<K, V> {
    const name = options.name ?? this.dsl.nextRaw('KTABLE-TOSTREAM');
    this.dsl.topology.addProcessor(name, processor<K, Change<V>, K, V | null>((ctx) => (r) => ctx.forward(r.withValue(r.value.newValue))), this.nodeName);
    return new KStream<K, V>(this.dsl, name, this.serdes, false);
  }

  /** Re-keys the table for an aggregation, through a repartition topic (old values are subtracted, new ones added). */
  groupBy<KR, VR>(selector: (key: K, value: V) => KeyValue<KR, VR>, grouped: Grouped<KR, VR> = {}): KGroupedTable<KR, VR> {
    this.node.enableSendingOldValues();
    const name = this.dsl.nextRaw('KTABLE-SELECT');
    this.dsl.topology.addProcessor(name, processor<K, Change<V>, KR, Change<VR>>((ctx) => (r) => {
      const next = r.value.newValue === null ? undefined : selector(r.key, r.value.newValue);
      const prev = r.value.oldValue === null ? undefined : selector(r.key, r.value.oldValue);
      const prevOk = prev !== undefined && prev.key !== null && prev.key !== undefined && prev.value !== null && prev.value !== undefined;
      const nextOk = next !== undefined && next.key !== null && next.key !== undefined && next.value !== null && next.value !== undefined;
      // Old first, so an aggregate subtracts before it adds; one record when the key stays.
      if (prevOk && nextOk && sameKey(prev.key, next.key)) {
        ctx.forward(new Record(next.key, { newValue: next.value, oldValue: prev.value }, r.timestamp, r.headers));
        return;
      }
      if (prevOk) ctx.forward(new Record(prev.key, { newValue: null, oldValue: prev.value }, r.timestamp, r.headers));
      if (nextOk) ctx.forward(new Record(next.key, { newValue: next.value, oldValue: null }, r.timestamp, r.headers));
    }), this.nodeName);
    return new KGroupedTable<KR, VR>(this.dsl, name, grouped);
  }

  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, other: VO) => VR, options: Named = {}): KTable<K, VR> {
    return this.#join('inner', other, joiner as (value: V | null, other: VO | null) => VR, options);
  }

  /** Every key of this table; the joiner gets null when the other table lacks the key. */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V, other: VO | null) => VR, options: Named = {}): KTable<K, VR> {
    return this.#join('left', other, joiner as (value: V | null, other: VO | null) => VR, options);
  }

  /** Every key of either table; the joiner gets null for the side that lacks it. */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V | null, other: VO | null) => VR, options: Named = {}): KTable<K, VR> {
    return this.#join('outer', other, joiner, options);
  }

  /** Holds back updates (Kafka Streams' `suppress`); see `Suppressed.untilWindowCloses`. */
  suppress(suppressed: Suppressed, options: Named = {}): KTable<K, V> {
    const name = options.name ?? this.dsl.nextRaw('KTABLE-SUPPRESS');
    const closeAfterMs = (this.node as { closeAfterMs?: number }).closeAfterMs;
    if (suppressed.kind === 'until-window-closes' && closeAfterMs === undefined) {
      throw new TopologyError(`suppress(untilWindowCloses) needs a windowed table (from windowedBy(...) aggregations); "${this.nodeName}" is not one`);
    }
    const flags = { sendOldValues: false };
    // Old values pass through as the parent sends them; reads go to the parent (the buffer is not consulted).
    const node: TableNode<K, V> = { flags, enableSendingOldValues: () => { flags.sendOldValues = true; this.node.enableSendingOldValues(); }, valueGetter: () => this.node.valueGetter() };
    const storeName = `${name}-STATE-STORE`;
    const keySerde = requireSerde(this.serdes.keySerde, 'keySerde', `suppress (${name})`);
    const valueSerde = requireSerde(this.serdes.valueSerde, 'valueSerde', `suppress (${name})`);
    this.dsl.topology.addProcessor(name, suppressProcessor<K, V>(suppressed, closeAfterMs, storeName), this.nodeName);
    this.dsl.topology.addStateStore(suppressionStore(storeName, keySerde, valueSerde), name);
    return new KTable<K, V>(this.dsl, name, this.serdes, node);
  }

  #join<VO, VR>(kind: TableJoinKind, other: KTable<K, VO>, joiner: (value: V | null, other: VO | null) => VR, options: Named): KTable<K, VR> {
    const { name, node } = joinTables(this.dsl, { kind, left: this, right: other, joiner, name: options.name });
    return new KTable<K, VR>(this.dsl, name, { keySerde: this.serdes.keySerde }, node);
  }

  #transform<VR>(
    prefix: string,
    options: TableOperatorOptions<K, VR>,
    compute: (key: K, value: V | null) => VR | null,
    skipEmpty: boolean,
    valueSerde: KnownSerdes<K, VR>['valueSerde'],
  ): KTable<K, VR> {
    const name = options.name ?? this.dsl.nextRaw(prefix);
    const m = options.materialized;
    const storeName = m ? m.storeName ?? this.dsl.nextRaw(`${prefix}-STATE-STORE`) : undefined;
    const parent = this.node;
    const flags = { sendOldValues: false };
    // A filter asks its (here always materialized) parent for old values at once, so it can
    // skip changes that were filtered out before and after, instead of forwarding tombstones.
    if (skipEmpty) { parent.enableSendingOldValues(); flags.sendOldValues = true; }
    const supplier = tableTransform<K, V, VR>({ compute, flags, storeName, skipEmpty });
    this.dsl.topology.addProcessor(name, supplier, this.nodeName);
    const serdes = { keySerde: m?.keySerde ?? this.serdes.keySerde, valueSerde: m?.valueSerde ?? valueSerde };
    if (m && storeName) {
      const keySerde = requireKnown(serdes.keySerde, 'keySerde', name);
      const vSerde = requireKnown(serdes.valueSerde, 'valueSerde', name);
      this.dsl.topology.addStateStore(timestampedStore(storeName, m, keySerde, vSerde), name);
      const node = materializedNode<K, VR>(storeName);
      return new KTable<K, VR>(this.dsl, name, serdes, { ...node, flags, enableSendingOldValues: () => { flags.sendOldValues = true; } }, storeName);
    }
    const node: TableNode<K, VR> = {
      flags,
      enableSendingOldValues: () => { parent.enableSendingOldValues(); flags.sendOldValues = true; },
      valueGetter: (): ValueGetterSupplier<K, VR> => {
        const up = parent.valueGetter();
        return {
          storeNames: up.storeNames,
          init: (ctx) => {
            const get = up.init(ctx);
            return (key) => {
              const found = get(key);
              const value = found === undefined ? null : compute(key, found.value);
              return found === undefined || value === null ? undefined : { value, timestamp: found.timestamp };
            };
          },
        };
      },
    };
    return new KTable<K, VR>(this.dsl, name, serdes, node);
  }
}

function requireKnown<T>(serde: T | undefined, what: string, where: string): T {
  if (serde === undefined) throw new TypeError(`${where}: the materialized store needs a ${what} (give it in Materialized)`);
  return serde;
}

/** Keys compare by value for primitives, by JSON for objects (the serialized form decides in Kafka Streams). */
export function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
