// Our extension to the Kafka Streams DSL: a GlobalKTable whose value per key is what a user
// function keeps in the store. Kafka Streams' globalTable holds each key's last record; a table
// whose value is folded from successive records (a running aggregate, a current value with its
// history) can only be a global store there, which no KStream can join.
import type { ProcessorSupplier } from '../api/processor.ts';
import type { Record } from '../api/record.ts';
import type { Serde } from '../api/serde.ts';
import type { KeyValueStore, StoreBuilder } from '../../state/api/store.ts';
import type { Topology } from '../topology.ts';
import { processor } from './internal.ts';
import { GlobalKTable } from './global-ktable.ts';

/**
 * How the store follows the topic. `fold` gives each keyed record's new value from the key's
 * current one (undefined deletes; null-keyed records are skipped); `processor` gets the store by
 * its name and may do anything with it (several keys per record, a Promise while it works).
 * After a crash, the records since the last checkpoint may be applied again, so a maintainer must
 * tolerate replays (keep the last offset applied with the value and skip at or below it). The
 * runtime checkpoints the offsets each store batch holds and rebuilds a persistent store whose
 * checkpoint is missing or was cut short, but what a maintainer does outside the store happens again.
 */
export type GlobalTableMaintainer<K, V, VIn> =
  | { readonly kind: 'fold'; readonly fold: (current: V | undefined, record: Record<K, VIn>) => V | undefined }
  | { readonly kind: 'processor'; readonly processor: ProcessorSupplier<K, VIn, void, void> };

export interface MaintainedGlobalTableOptions<K, V, VIn> {
  /** How the topic's records are read (the topic's keys are the table's). */
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<VIn>;
  /** The table's key-value store (K to V), queryable under its name; its logging is turned off: the topic is its log. */
  readonly store: StoreBuilder;
  readonly maintain: GlobalTableMaintainer<K, V, VIn>;
  /** Where an instance with no checkpoint starts reading the topic (default 'earliest': the whole topic). */
  readonly resetFrom?: 'earliest' | 'latest';
}

export function maintainedGlobalTable<K, V, VIn>(topology: Topology, topic: string, options: MaintainedGlobalTableOptions<K, V, VIn>): GlobalKTable<K, V> {
  const { store, maintain } = options;
  const storeName = store.name;
  topology.addGlobalStore(store.withLoggingDisabled(), {
    topic, keySerde: options.keySerde, valueSerde: options.valueSerde,
    processor: maintain.kind === 'processor' ? maintain.processor : foldInto<K, V, VIn>(storeName, maintain.fold),
    ...(options.resetFrom !== undefined && { resetFrom: options.resetFrom }),
  });
  return new GlobalKTable<K, V>(storeName);
}

function foldInto<K, V, VIn>(storeName: string, fold: (current: V | undefined, record: Record<K, VIn>) => V | undefined): ProcessorSupplier<K, VIn, void, void> {
  return processor<K, VIn, void, void>((ctx) => {
    const table = ctx.getStateStore<KeyValueStore<K, V>>(storeName);
    return (r) => {
      if (r.key === null || r.key === undefined) return;
      const next = fold(table.get(r.key), r);
      if (next === undefined) table.delete(r.key);
      else table.put(r.key, next);
    };
  });
}
