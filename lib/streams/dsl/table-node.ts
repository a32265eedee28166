import type { ProcessorContext } from '../api/processor.ts';
import type { ValueAndTimestamp } from '../../state/api/window-store.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';

/** The current value of a key in a table, read where a join needs it. */
export type ValueGetter<K, V> = (key: K) => ValueAndTimestamp<V> | undefined;

/** Makes a table's value getter inside a processor connected to `storeNames`. */
export interface ValueGetterSupplier<K, V> {
  readonly storeNames: readonly string[];
  init(ctx: ProcessorContext<unknown, unknown>): ValueGetter<K, V>;
}

/**
 * What the DSL knows of a table node while building: whether its children need old values
 * (Kafka Streams' `enableSendingOldValues`, read by the node's processor when it starts) and
 * how to read its current values.
 */
export interface TableNode<K, V> {
  readonly flags: { sendOldValues: boolean };
  enableSendingOldValues(): void;
  valueGetter(): ValueGetterSupplier<K, V>;
}

/** A getter over a timestamped store. */
export function storeGetter<K, V>(storeName: string): ValueGetterSupplier<K, V> {
  return {
    storeNames: [storeName],
    init: (ctx) => {
      const store = ctx.getStateStore<TimestampedKeyValueStore<K, V>>(storeName);
      return (key) => store.getWithTimestamp(key);
    },
  };
}

/** A materialized node: its own store answers for it and it can always send old values. */
export function materializedNode<K, V>(storeName: string): TableNode<K, V> {
  const flags = { sendOldValues: false };
  return { flags, enableSendingOldValues: () => { flags.sendOldValues = true; }, valueGetter: () => storeGetter(storeName) };
}
