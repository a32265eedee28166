import type { ProcessorSupplier } from './api/processor.ts';
import type { Serde } from './api/serde.ts';
import type { StoreBuilder } from '../state/api/store.ts';
import { TopologyError } from './api/errors.ts';
import { compileTopology } from './internal/compile.ts';
import { describeTopology } from './internal/describe.ts';

// The raw definition is read by the compiler (KafkaStreams, the test driver) through
// `topologyDefinition`, which the entry files do not export; users see only the builder methods.
let readDefinition: (topology: Topology) => TopologyDefinition;

/** The raw definition of a topology, for the compiler; not part of the public API. */
export function topologyDefinition(topology: Topology): TopologyDefinition {
  return readDefinition(topology);
}

let markInternal: (topology: Topology, topic: string) => void;

/**
 * Declares `topic` an internal topic of the topology (a DSL repartition topic): the runtime
 * names it `<applicationId>-<topic>` and creates it. Not part of the public API.
 */
export function addInternalTopic(topology: Topology, topic: string): void {
  markInternal(topology, topic);
}

/** Chooses the partition of a sink record; `undefined` falls back to hashing the key. */
export type StreamPartitioner<K = unknown, V = unknown> =
  (topic: string, key: K, value: V, numPartitions: number) => number | undefined;

export interface SourceOptions<K = unknown, V = unknown> {
  readonly topics: readonly string[];
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

export interface SinkOptions<K = unknown, V = unknown> {
  readonly topic: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
}

/** A global store reads every partition of `topic` on every instance; its processor fills it. */
export interface GlobalStoreOptions<K = unknown, V = unknown> {
  readonly topic: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  /** Defaults to `<store>-global-source`. */
  readonly sourceName?: string;
  /** Defaults to `<store>-global-processor`. */
  readonly processorName?: string;
  /** Writes each record of the topic into the store (`getStateStore(storeName)`). */
  readonly processor: ProcessorSupplier<K, V, void, void>;
  /**
   * Where an instance with no checkpoint starts reading: 'earliest' (default) bootstraps the
   * whole topic; 'latest' keeps only what arrives from now on (state that is not restored).
   */
  readonly resetFrom?: 'earliest' | 'latest';
}

export type NodeDefinition =
  | { readonly kind: 'source'; readonly name: string; readonly options: SourceOptions }
  | { readonly kind: 'processor'; readonly name: string; readonly supplier: ProcessorSupplier; readonly parents: readonly string[] }
  | { readonly kind: 'sink'; readonly name: string; readonly options: SinkOptions; readonly parents: readonly string[] };

export interface StoreDefinition {
  readonly builder: StoreBuilder;
  readonly processors: Set<string>;
}

export interface GlobalStoreDefinition {
  readonly builder: StoreBuilder;
  readonly options: GlobalStoreOptions;
  readonly sourceName: string;
  readonly processorName: string;
}

/**
 * A graph of sources, processors and sinks with their state stores, as in Kafka Streams'
 * Processor API. Names are checked as nodes are added; the graph as a whole (unknown
 * parents, cycles, unconnected stores) is checked by `describe()` and when it is run.
 */
export class Topology {
  readonly #nodes = new Map<string, NodeDefinition>();
  readonly #stores = new Map<string, StoreDefinition>();
  readonly #globalStores = new Map<string, GlobalStoreDefinition>();
  readonly #internalTopics = new Set<string>();

  addSource<K, V>(name: string, options: SourceOptions<K, V>): this {
    this.#checkNewName(name);
    if (options.topics.length === 0) throw new TopologyError(`Source "${name}" needs at least one topic`);
    this.#nodes.set(name, { kind: 'source', name, options: options as SourceOptions });
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    supplier: ProcessorSupplier<KIn, VIn, KOut, VOut>,
    ...parents: string[]
  ): this {
    this.#checkNewName(name);
    this.#checkParents(name, parents);
    this.#nodes.set(name, { kind: 'processor', name, supplier: supplier as ProcessorSupplier, parents });
    return this;
  }

  addSink<K, V>(name: string, options: SinkOptions<K, V>, ...parents: string[]): this {
    this.#checkNewName(name);
    this.#checkParents(name, parents);
    this.#nodes.set(name, { kind: 'sink', name, options: options as SinkOptions, parents });
    return this;
  }

  /** Adds a store, connected to the named processors (more can connect later with `connectProcessorAndStateStores`). */
  addStateStore(builder: StoreBuilder, ...processorNames: string[]): this {
    if (this.#stores.has(builder.name) || this.#globalStores.has(builder.name)) {
      throw new TopologyError(`State store "${builder.name}" is already added`);
    }
    this.#stores.set(builder.name, { builder, processors: new Set(processorNames) });
    return this;
  }

  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): this {
    for (const storeName of storeNames) {
      const store = this.#stores.get(storeName);
      if (!store) throw new TopologyError(`Cannot connect "${processorName}" to unknown state store "${storeName}"`);
      store.processors.add(processorName);
    }
    return this;
  }

  addGlobalStore<K, V>(builder: StoreBuilder, options: GlobalStoreOptions<K, V>): this {
    if (this.#stores.has(builder.name) || this.#globalStores.has(builder.name)) {
      throw new TopologyError(`State store "${builder.name}" is already added`);
    }
    if (builder.loggingEnabled) {
      // The global topic is the store's changelog already (as in Kafka Streams).
      throw new TopologyError(`Global store "${builder.name}" must be built with logging disabled (.withLoggingDisabled())`);
    }
    const sourceName = options.sourceName ?? `${builder.name}-global-source`;
    const processorName = options.processorName ?? `${builder.name}-global-processor`;
    this.#checkNewName(sourceName);
    this.#checkNewName(processorName);
    this.#globalStores.set(builder.name, { builder, options: options as GlobalStoreOptions, sourceName, processorName });
    return this;
  }

  /** A readable summary of the sub-topologies, like Kafka Streams' `TopologyDescription`. */
  describe(): string {
    return describeTopology(compileTopology(readDefinition(this)));
  }

  static {
    readDefinition = (t) => ({ nodes: t.#nodes, stores: t.#stores, globalStores: t.#globalStores, internalTopics: t.#internalTopics });
    markInternal = (t, topic) => { t.#internalTopics.add(topic); };
  }

  #checkNewName(name: string): void {
    if (!name) throw new TopologyError('A node name must not be empty');
    if (this.#nodes.has(name) || [...this.#globalStores.values()].some((g) => g.sourceName === name || g.processorName === name)) {
      throw new TopologyError(`Node "${name}" is already added: every node needs a unique name`);
    }
  }

  #checkParents(name: string, parents: readonly string[]): void {
    if (parents.length === 0) throw new TopologyError(`Node "${name}" needs at least one parent`);
    if (parents.includes(name)) throw new TopologyError(`Node "${name}" cannot be its own parent (cycle)`);
    if (new Set(parents).size !== parents.length) throw new TopologyError(`Node "${name}" lists a parent twice`);
  }
}

export interface TopologyDefinition {
  readonly nodes: ReadonlyMap<string, NodeDefinition>;
  readonly stores: ReadonlyMap<string, StoreDefinition>;
  readonly globalStores: ReadonlyMap<string, GlobalStoreDefinition>;
  /** Topics named without the application id (repartition topics), prefixed when compiled for an application. */
  readonly internalTopics: ReadonlySet<string>;
}
