import type { KeyValue } from '../api/record.ts';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api/processor.ts';
import type { Serde } from '../api/serde.ts';
import type { StreamPartitioner } from '../topology.ts';
import type { Grouped, Joined, Materialized, Named, Repartitioned, StreamJoined } from './options.ts';
import type { GlobalKTable } from './global-ktable.ts';
import type { JoinWindows } from './windows.ts';
import { Record } from '../api/record.ts';
import { requireSerde, throughRepartition, timestampedStore, type Dsl, type KnownSerdes } from './internal.ts';
import { materializedNode } from './table-node.ts';
import { tableSource } from './table-processors.ts';
import { BranchedKStream } from './branched.ts';
import { KGroupedStream } from './kgrouped-stream.ts';
import { KTable } from './ktable.ts';
import { streamGlobalJoin, streamTableJoin } from './stream-table-joins.ts';
import { streamStreamJoin, type StreamJoinKind } from './stream-stream-join.ts';

export type { Named } from './options.ts';

export interface ProducedOptions<K, V> extends Named {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
}

/**
 * A record stream, as in Kafka Streams' `KStream`: every operator adds a processor node. A
 * stream whose key may have changed (`selectKey`, `map`) is repartitioned before a grouping or join.
 */
export class KStream<K, V> {
  constructor(
    readonly dsl: Dsl,
    /** The node this stream flows out of. */
    readonly nodeName: string,
    readonly serdes: KnownSerdes<K, V> = {},
    readonly repartitionRequired = false,
  ) {}

  mapValues<VR>(mapper: (value: V, key: K) => VR, options: Named = {}): KStream<K, VR> {
    return this.#stateless('MAPVALUES', options, (r, ctx) => ctx.forward(r.withValue(mapper(r.value, r.key))), { keySerde: this.serdes.keySerde });
  }

  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, options: Named = {}): KStream<KR, VR> {
    return this.#stateless('MAP', options, (r, ctx) => {
      const out = mapper(r.key, r.value);
      ctx.forward(new Record(out.key, out.value, r.timestamp, r.headers));
    }, {}, true);
  }

  /** A new key for each record; a later grouping or join repartitions by it. */
  selectKey<KR>(mapper: (key: K, value: V) => KR, options: Named = {}): KStream<KR, V> {
    return this.#stateless('KEY-SELECT', options, (r, ctx) => ctx.forward(r.withKey(mapper(r.key, r.value))), { valueSerde: this.serdes.valueSerde }, true);
  }

  filter(predicate: (key: K, value: V) => boolean, options: Named = {}): KStream<K, V> {
    return this.#stateless('FILTER', options, (r, ctx) => { if (predicate(r.key, r.value)) ctx.forward(r); }, this.serdes, this.repartitionRequired);
  }

  filterNot(predicate: (key: K, value: V) => boolean, options: Named = {}): KStream<K, V> {
    return this.#stateless('FILTER_NOT', options, (r, ctx) => { if (!predicate(r.key, r.value)) ctx.forward(r); }, this.serdes, this.repartitionRequired);
  }

  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, options: Named = {}): KStream<K, VR> {
    return this.#stateless('FLATMAPVALUES', options, (r, ctx) => {
      for (const value of mapper(r.value, r.key)) ctx.forward(r.withValue(value));
    }, { keySerde: this.serdes.keySerde }, this.repartitionRequired);
  }

  peek(action: (key: K, value: V) => void, options: Named = {}): KStream<K, V> {
    return this.#stateless('PEEK', options, (r, ctx) => { action(r.key, r.value); ctx.forward(r); }, this.serdes, this.repartitionRequired);
  }

  /** Both streams' records, in the order they arrive. */
  merge(other: KStream<K, V>, options: Named = {}): KStream<K, V> {
    const name = this.dsl.next('MERGE', options.name);
    this.dsl.topology.addProcessor(name, passThrough, this.nodeName, other.nodeName);
    const serdes = {
      keySerde: this.serdes.keySerde === other.serdes.keySerde ? this.serdes.keySerde : undefined,
      valueSerde: this.serdes.valueSerde === other.serdes.valueSerde ? this.serdes.valueSerde : undefined,
    };
    return new KStream<K, V>(this.dsl, name, serdes, this.repartitionRequired || other.repartitionRequired);
  }

  /** Routes each record to the first branch whose predicate holds (Kafka Streams' `split`). */
  split(options: Named = {}): BranchedKStream<K, V> {
    const name = this.dsl.next('BRANCH', options.name === undefined ? undefined : `${options.name}`);
    return new BranchedKStream<K, V>(this, name, options.name ?? name);
  }

  /** Writes the stream through the internal topic `<applicationId>-<name>-repartition` and reads it back, partitioned by key. */
  repartition(repartitioned: Repartitioned<K, V> = {}): KStream<K, V> {
    const name = repartitioned.name ?? this.dsl.next('REPARTITION');
    const keySerde = requireSerde(repartitioned.keySerde ?? this.serdes.keySerde, 'keySerde', `repartition ${name}`);
    const valueSerde = requireSerde(repartitioned.valueSerde ?? this.serdes.valueSerde, 'valueSerde', `repartition ${name}`);
    const source = throughRepartition(this.dsl, this.nodeName, name, keySerde as Serde<unknown>, valueSerde as Serde<unknown>);
    return new KStream<K, V>(this.dsl, source, { keySerde, valueSerde });
  }

  groupByKey(grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
    return new KGroupedStream<K, V>({ dsl: this.dsl, parent: this.nodeName, serdes: this.serdes, repartitionRequired: this.repartitionRequired, grouped });
  }

  /** Groups by a new key (a repartition topic sits before the aggregation). */
  groupBy<KR>(selector: (key: K, value: V) => KR, grouped: Grouped<KR, V> = {}): KGroupedStream<KR, V> {
    return this.selectKey(selector).groupByKey({ ...grouped, valueSerde: grouped.valueSerde ?? this.serdes.valueSerde });
  }

  /** The stream as a table: each record's value replaces its key's (null deletes). */
  toTable(options: Named & { materialized?: Materialized<K, V> } = {}): KTable<K, V> {
    const m = options.materialized ?? {};
    const name = this.dsl.next('TOTABLE', options.name);
    const storeName = m.storeName ?? this.dsl.nextRaw('KSTREAM-TOTABLE-STATE-STORE');
    const keySerde = requireSerde(m.keySerde ?? this.serdes.keySerde, 'keySerde', `toTable (store ${storeName})`);
    const valueSerde = requireSerde(m.valueSerde ?? this.serdes.valueSerde, 'valueSerde', `toTable (store ${storeName})`);
    const parent = this.repartitionRequired
      ? throughRepartition(this.dsl, this.nodeName, `${name}`, keySerde as Serde<unknown>, valueSerde as Serde<unknown>)
      : this.nodeName;
    const node = materializedNode<K, V>(storeName);
    this.dsl.topology.addProcessor(name, tableSource<K, V>(storeName, node.flags), parent);
    this.dsl.topology.addStateStore(timestampedStore(storeName, m, keySerde, valueSerde), name);
    return new KTable<K, V>(this.dsl, name, { keySerde, valueSerde }, node, storeName);
  }

  /** Joins each record with the table's current value for its key (stream-table), with a global table's for a mapped key, or with the other stream's records within the windows. */
  join<VO, VR>(table: KTable<K, VO>, joiner: (value: V, other: VO) => VR, options?: Joined<K, V, VO>): KStream<K, VR>;
  join<KG, VG, VR>(table: GlobalKTable<KG, VG>, keySelector: (key: K, value: V) => KG, joiner: (value: V, other: VG) => VR, options?: Named): KStream<K, VR>;
  join<VO, VR>(stream: KStream<K, VO>, joiner: (value: V, other: VO) => VR, windows: JoinWindows, options?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return this.#join('inner', other, a, b, c);
  }

  /** As `join`, but a record without a partner is joined with null (for streams: once its window closes). */
  leftJoin<VO, VR>(table: KTable<K, VO>, joiner: (value: V, other: VO | null) => VR, options?: Joined<K, V, VO>): KStream<K, VR>;
  leftJoin<KG, VG, VR>(table: GlobalKTable<KG, VG>, keySelector: (key: K, value: V) => KG, joiner: (value: V, other: VG | null) => VR, options?: Named): KStream<K, VR>;
  leftJoin<VO, VR>(stream: KStream<K, VO>, joiner: (value: V, other: VO | null) => VR, windows: JoinWindows, options?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, unknown> {
    return this.#join('left', other, a, b, c);
  }

  /** Stream-stream only: records of either side without a partner are joined with null once their window closes. */
  outerJoin<VO, VR>(stream: KStream<K, VO>, joiner: (value: V | null, other: VO | null) => VR, windows: JoinWindows, options: StreamJoined<K, V, VO> = {}): KStream<K, VR> {
    return streamStreamJoin(this, stream, { kind: 'outer', joiner, windows, joined: options });
  }

  /** Runs a Processor API processor, connected to the named stores (added with the builder's `addStateStore`); a `Named` first names its node. */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...storeNames: string[]): KStream<KR, VR>;
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, named: Named, ...storeNames: string[]): KStream<KR, VR>;
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...args: (string | Named)[]): KStream<KR, VR> {
    const named = typeof args[0] === 'object' ? args.shift() as Named : {};
    const storeNames = args as string[];
    const name = this.dsl.next('PROCESSOR', named.name);
    this.dsl.topology.addProcessor(name, supplier, this.nodeName);
    if (storeNames.length) this.dsl.topology.connectProcessorAndStateStores(name, ...storeNames);
    return new KStream<KR, VR>(this.dsl, name, {}, true);
  }

  to(topic: string, options: ProducedOptions<K, V> = {}): void {
    const name = this.dsl.next('SINK', options.name);
    this.dsl.topology.addSink(name, {
      topic,
      keySerde: options.keySerde ?? this.serdes.keySerde,
      valueSerde: options.valueSerde ?? this.serdes.valueSerde,
      partitioner: options.partitioner,
    }, this.nodeName);
  }

  /** The stream partitioned by its current key: itself, or through a repartition topic named after `name`. */
  copartitioned(name: string, keySerde?: Serde<K>, valueSerde?: Serde<V>): KStream<K, V> {
    if (!this.repartitionRequired) return this;
    return this.repartition({ name, keySerde: keySerde ?? this.serdes.keySerde, valueSerde: valueSerde ?? this.serdes.valueSerde });
  }

  #join(kind: StreamJoinKind, other: unknown, a: unknown, b: unknown, c: unknown): KStream<K, unknown> {
    const joiner = a as (value: V, other: unknown) => unknown;
    if (other instanceof KTable) return streamTableJoin(this, other, { kind, joiner, joined: (b ?? {}) as Joined<K, V, unknown> });
    if (other instanceof KStream) return streamStreamJoin(this, other as KStream<K, unknown>, { kind, joiner, windows: b as JoinWindows, joined: (c ?? {}) as StreamJoined<K, V, unknown> });
    return streamGlobalJoin(this, other as GlobalKTable<unknown, unknown>, {
      kind, keySelector: a as (key: K, value: V) => unknown, joiner: b as (value: V, other: unknown) => unknown, named: (c ?? {}) as Named,
    });
  }

  #stateless<KR, VR>(
    operation: string,
    options: Named,
    handle: (record: Record<K, V>, ctx: ProcessorContext<KR, VR>) => void,
    serdes: KnownSerdes<KR, VR>,
    repartitionRequired = this.repartitionRequired,
  ): KStream<KR, VR> {
    const name = this.dsl.next(operation, options.name);
    const supplier = (): Processor<K, V, KR, VR> => {
      let ctx: ProcessorContext<KR, VR>;
      return { init: (c) => { ctx = c; }, process: (r) => handle(r, ctx) };
    };
    this.dsl.topology.addProcessor(name, supplier, this.nodeName);
    return new KStream<KR, VR>(this.dsl, name, serdes, repartitionRequired);
  }
}

const passThrough: ProcessorSupplier = () => {
  let ctx: ProcessorContext;
  return { init: (c) => { ctx = c; }, process: (r) => ctx.forward(r) };
};
