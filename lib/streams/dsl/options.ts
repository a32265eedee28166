import type { Serde } from '../api/serde.ts';

type TopicConfig = Readonly<{ [key: string]: string }>;

/** Names an operator's processor node (Kafka Streams' `Named`). */
export interface Named {
  readonly name?: string;
}

/**
 * How a table or aggregate is kept (Kafka Streams' `Materialized`): the store's name (queryable
 * under it; generated when absent), serdes, LevelDB (default, as Kafka Streams defaults to
 * RocksDB) or memory, and its changelog (on by default; `false`, or topic configs).
 */
export interface Materialized<K, V> {
  readonly storeName?: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly storeType?: 'persistent' | 'in-memory';
  readonly logging?: boolean | TopicConfig;
  /** Window and session stores: how long windows are kept (at least size + grace, the default). */
  readonly retentionMs?: number;
}

/** Serdes and name of a grouping's repartition topic (`<applicationId>-<name>-repartition`). */
export interface Grouped<K, V> {
  readonly name?: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

export interface Repartitioned<K, V> extends Grouped<K, V> {
  /** Partitions of the repartition topic; by default as many as the upstream sub-topology reads. */
  readonly partitions?: number;
}

/** Serdes of the records and name of a join node. */
export interface Joined<K, V, VO> extends Named {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly otherValueSerde?: Serde<VO>;
}

/** The two window stores of a stream-stream join (`<storeName>-this-join-store`, `-other-join-store`). */
export interface StreamJoined<K, V, VO> extends Joined<K, V, VO> {
  readonly storeName?: string;
  readonly storeType?: 'persistent' | 'in-memory';
  readonly logging?: boolean | TopicConfig;
}
