import type { Processor, ProcessorContext, ProcessorSupplier } from '../api/processor.ts';
import type { Record } from '../api/record.ts';
import type { Serde } from '../api/serde.ts';
import type { StoreBuilder } from '../../state/api/store.ts';
import { TopologyError } from '../api/errors.ts';
import { Stores } from '../../state/stores.ts';
import type { Materialized } from './options.ts';
import type { Topology } from '../topology.ts';
import { addInternalTopic } from '../topology.ts';

/** What every DSL object shares: the topology being built and its node names. */
export interface Dsl {
  readonly topology: Topology;
  /** `KSTREAM-<operation>-<index>` unless `name` is given. */
  next(operation: string, name?: string): string;
  /** `<prefix>-<index>` (KTABLE-SOURCE, KSTREAM-AGGREGATE-STATE-STORE, ...). */
  nextRaw(prefix: string): string;
}

/** The serdes a stream or table knows of its keys and values (kept by operators that keep the type). */
export interface KnownSerdes<K, V> {
  readonly keySerde?: Serde<K> | undefined;
  readonly valueSerde?: Serde<V> | undefined;
}

export function requireSerde<T>(serde: Serde<T> | undefined, what: string, where: string): Serde<T> {
  if (!serde) throw new TopologyError(`${where} needs a ${what}: give it in the operator's options (e.g. { ${what}: Serdes.String() }) or on the source`);
  return serde;
}

/** A processor written as one function from its context to a record handler (and, optionally, what its close does). */
export function processor<KIn, VIn, KOut, VOut>(
  init: (ctx: ProcessorContext<KOut, VOut>) => (record: Record<KIn, VIn>) => void,
  close?: (ctx: ProcessorContext<KOut, VOut>) => void,
): ProcessorSupplier<KIn, VIn, KOut, VOut> {
  return (): Processor<KIn, VIn, KOut, VOut> => {
    let handle: (record: Record<KIn, VIn>) => void = () => {};
    let context: ProcessorContext<KOut, VOut> | undefined;
    return {
      init: (ctx) => { context = ctx; handle = init(ctx); },
      process: (r) => handle(r),
      close: () => { if (close && context) close(context); },
    };
  };
}

/** Adds a sink and a source through the internal topic `<name>-repartition`; answers the source's node name. */
export function throughRepartition(dsl: Dsl, parent: string, name: string, keySerde: Serde<unknown>, valueSerde: Serde<unknown>): string {
  const topic = `${name}-repartition`;
  addInternalTopic(dsl.topology, topic);
  const sink = `${name}-repartition-sink`;
  const source = `${name}-repartition-source`;
  dsl.topology.addSink(sink, { topic, keySerde, valueSerde }, parent);
  dsl.topology.addSource(source, { topics: [topic], keySerde, valueSerde });
  return source;
}

/** The byte store a Materialized asks for: LevelDB unless in memory. */
export function byteSupplier(name: string, materialized: Materialized<unknown, unknown>) {
  return materialized.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
}

/** Applies a Materialized's logging choice to a builder. */
export function withLogging<B extends StoreBuilder>(builder: B, materialized: Materialized<unknown, unknown>): B {
  const logging = materialized.logging ?? true;
  if (logging === false) builder.withLoggingDisabled();
  else builder.withLoggingEnabled(logging === true ? {} : logging);
  return builder;
}

/** A timestamped key-value store as a Materialized describes it. */
export function timestampedStore<K, V>(name: string, materialized: Materialized<K, V>, keySerde: Serde<K>, valueSerde: Serde<V>) {
  const m = materialized as Materialized<unknown, unknown>;
  return withLogging(Stores.timestampedKeyValueStoreBuilder(byteSupplier(name, m), keySerde, valueSerde), m);
}
