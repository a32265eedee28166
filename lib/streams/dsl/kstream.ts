import type { KeyValue } from '../api/record.ts';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../api/processor.ts';
import type { Serde } from '../api/serde.ts';
import type { StreamPartitioner, Topology } from '../topology.ts';
import { Record } from '../api/record.ts';

/** Names DSL nodes as Kafka Streams does (`KSTREAM-MAPVALUES-0000000001`) unless given a name. */
export interface NameSource {
  next(operation: string, name?: string): string;
}

export interface Named {
  readonly name?: string;
}

export interface ProducedOptions<K, V> extends Named {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
}

/** A record stream, as in Kafka Streams' `KStream`: every operator adds a processor node. */
export class KStream<K, V> {
  constructor(
    private readonly topology: Topology,
    private readonly names: NameSource,
    /** The node this stream flows out of. */
    readonly nodeName: string,
  ) {}

  mapValues<VR>(mapper: (value: V, key: K) => VR, options: Named = {}): KStream<K, VR> {
    return this.#stateless('MAPVALUES', options, (r, ctx) => ctx.forward(r.withValue(mapper(r.value, r.key))));
  }

  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, options: Named = {}): KStream<KR, VR> {
    return this.#stateless('MAP', options, (r, ctx) => {
      const out = mapper(r.key, r.value);
      ctx.forward(new Record(out.key, out.value, r.timestamp, r.headers));
    });
  }

  filter(predicate: (key: K, value: V) => boolean, options: Named = {}): KStream<K, V> {
    return this.#stateless('FILTER', options, (r, ctx) => { if (predicate(r.key, r.value)) ctx.forward(r); });
  }

  filterNot(predicate: (key: K, value: V) => boolean, options: Named = {}): KStream<K, V> {
    return this.filter((k, v) => !predicate(k, v), { name: options.name ?? this.names.next('FILTER_NOT') });
  }

  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, options: Named = {}): KStream<K, VR> {
    return this.#stateless('FLATMAPVALUES', options, (r, ctx) => {
      for (const value of mapper(r.value, r.key)) ctx.forward(r.withValue(value));
    });
  }

  peek(action: (key: K, value: V) => void, options: Named = {}): KStream<K, V> {
    return this.#stateless('PEEK', options, (r, ctx) => { action(r.key, r.value); ctx.forward(r); });
  }

  /** Runs a Processor API processor, connected to the named stores (added with the builder's `addStateStore`). */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...storeNames: string[]): KStream<KR, VR> {
    const name = this.names.next('PROCESSOR');
    this.topology.addProcessor(name, supplier, this.nodeName);
    if (storeNames.length) this.topology.connectProcessorAndStateStores(name, ...storeNames);
    return new KStream<KR, VR>(this.topology, this.names, name);
  }

  to(topic: string, options: ProducedOptions<K, V> = {}): void {
    const name = this.names.next('SINK', options.name);
    this.topology.addSink(name, {
      topic,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      partitioner: options.partitioner,
    }, this.nodeName);
  }

  #stateless<KR, VR>(
    operation: string,
    options: Named,
    handle: (record: Record<K, V>, ctx: ProcessorContext<KR, VR>) => void,
  ): KStream<KR, VR> {
    const name = this.names.next(operation, options.name);
    const supplier = (): Processor<K, V, KR, VR> => {
      let ctx: ProcessorContext<KR, VR>;
      return { init: (c) => { ctx = c; }, process: (r) => handle(r, ctx) };
    };
    this.topology.addProcessor(name, supplier, this.nodeName);
    return new KStream<KR, VR>(this.topology, this.names, name);
  }
}
