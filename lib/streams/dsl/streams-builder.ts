import type { Serde } from '../api/serde.ts';
import type { StoreBuilder } from '../../state/api/store.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';
import type { Materialized } from './options.ts';
import { Topology, type GlobalStoreOptions } from '../topology.ts';
import { processor, requireSerde, timestampedStore, type Dsl } from './internal.ts';
import { materializedNode } from './table-node.ts';
import { tableSource } from './table-processors.ts';
import { GlobalKTable } from './global-ktable.ts';
import { maintainedGlobalTable, type MaintainedGlobalTableOptions } from './maintained-global-table.ts';
import { KStream } from './kstream.ts';
import { KTable } from './ktable.ts';

export interface ConsumedOptions<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly name?: string;
}

export interface TableOptions<K, V> extends ConsumedOptions<K, V> {
  /** The table's store (queryable under its name); its serdes default to the consumed ones. */
  readonly materialized?: Materialized<K, V>;
}

/** The fluent DSL: builds a `Topology` from streams, tables and operators, as in Kafka Streams. */
export class StreamsBuilder {
  readonly #topology = new Topology();
  #index = 0;
  readonly #dsl: Dsl = {
    topology: this.#topology,
    next: (operation, name) => name ?? `KSTREAM-${operation}-${this.#nextIndex()}`,
    nextRaw: (prefix) => `${prefix}-${this.#nextIndex()}`,
  };

  stream<K = Uint8Array, V = Uint8Array>(topics: string | readonly string[], options: ConsumedOptions<K, V> = {}): KStream<K, V> {
    const name = this.#dsl.next('SOURCE', options.name);
    this.#topology.addSource(name, {
      topics: typeof topics === 'string' ? [topics] : topics,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
    });
    return new KStream<K, V>(this.#dsl, name, { keySerde: options.keySerde, valueSerde: options.valueSerde });
  }

  /** The topic read as a table (Kafka Streams' `builder.table`): always materialized here, so joins can read it. */
  table<K, V>(topic: string, options: TableOptions<K, V> = {}): KTable<K, V> {
    const source = this.#dsl.next('SOURCE', options.name);
    const m = options.materialized ?? {};
    const keySerde = requireSerde(m.keySerde ?? options.keySerde, 'keySerde', `table "${topic}"`);
    const valueSerde = requireSerde(m.valueSerde ?? options.valueSerde, 'valueSerde', `table "${topic}"`);
    this.#topology.addSource(source, { topics: [topic], keySerde, valueSerde });
    const name = this.#dsl.nextRaw('KTABLE-SOURCE');
    const storeName = m.storeName ?? `${topic}-STATE-STORE-${this.#nextIndex()}`;
    const node = materializedNode<K, V>(storeName);
    this.#topology.addProcessor(name, tableSource<K, V>(storeName, node.flags), source);
    this.#topology.addStateStore(timestampedStore(storeName, m, keySerde, valueSerde), name);
    return new KTable<K, V>(this.#dsl, name, { keySerde, valueSerde }, node, storeName);
  }

  /** The topic held in full on every instance; the topic is its changelog, so the store logs nothing. */
  globalTable<K, V>(topic: string, options: TableOptions<K, V> = {}): GlobalKTable<K, V> {
    const m = options.materialized ?? {};
    const keySerde = requireSerde(m.keySerde ?? options.keySerde, 'keySerde', `globalTable "${topic}"`);
    const valueSerde = requireSerde(m.valueSerde ?? options.valueSerde, 'valueSerde', `globalTable "${topic}"`);
    const storeName = m.storeName ?? `${topic}-STATE-STORE-${this.#nextIndex()}`;
    const builder = timestampedStore(storeName, { ...m, logging: false }, keySerde, valueSerde);
    this.#topology.addGlobalStore(builder, {
      topic, keySerde, valueSerde,
      processor: processor<K, V, void, void>((ctx) => {
        const store = ctx.getStateStore<TimestampedKeyValueStore<K, V>>(storeName);
        return (r) => {
          if (r.key === null || r.key === undefined) return;
          store.putWithTimestamp(r.key, r.value ?? null, r.timestamp);
        };
      }),
    });
    return new GlobalKTable<K, V>(storeName);
  }

  /**
   * Our extension (no Kafka Streams counterpart): a global table whose store `options.maintain`
   * keeps, by a fold over each key's records or by a processor, where `globalTable` keeps the last
   * record. Streams join it like any GlobalKTable.
   */
  globalTableMaintained<K, V, VIn = V>(topic: string, options: MaintainedGlobalTableOptions<K, V, VIn>): GlobalKTable<K, V> {
    return maintainedGlobalTable(this.#topology, topic, options);
  }

  /** Adds a store that `KStream.process(supplier, storeName)` can then use. */
  addStateStore(builder: StoreBuilder): this {
    this.#topology.addStateStore(builder);
    return this;
  }

  addGlobalStore<K, V>(builder: StoreBuilder, options: GlobalStoreOptions<K, V>): this {
    this.#topology.addGlobalStore(builder, options);
    return this;
  }

  build(): Topology {
    return this.#topology;
  }

  #nextIndex(): string {
    return String(this.#index++).padStart(10, '0');
  }
}
