import type { Serde } from '../api/serde.ts';
import type { StoreBuilder } from '../../state/api/store.ts';
import { Topology, type GlobalStoreOptions } from '../topology.ts';
import { KStream, type NameSource } from './kstream.ts';

export interface ConsumedOptions<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly name?: string;
}

/** The fluent DSL: builds a `Topology` from streams and operators, as in Kafka Streams. */
export class StreamsBuilder {
  readonly #topology = new Topology();
  #index = 0;
  readonly #names: NameSource = {
    next: (operation, name) => name ?? `KSTREAM-${operation}-${String(this.#index++).padStart(10, '0')}`,
  };

  stream<K = Uint8Array, V = Uint8Array>(topics: string | readonly string[], options: ConsumedOptions<K, V> = {}): KStream<K, V> {
    const name = this.#names.next('SOURCE', options.name);
    this.#topology.addSource(name, {
      topics: typeof topics === 'string' ? [topics] : topics,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
    });
    return new KStream<K, V>(this.#topology, this.#names, name);
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
}
