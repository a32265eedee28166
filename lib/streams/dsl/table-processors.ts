import type { Record } from '../api/record.ts';
import type { ProcessorSupplier } from '../api/processor.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';
import type { Change } from './change.ts';
import { processor } from './internal.ts';

/**
 * A table's source (Kafka Streams' KTableSource, always materialized here): a record's value
 * replaces the key's (null deletes); null keys are dropped.
 */
export function tableSource<K, V>(storeName: string, flags: { sendOldValues: boolean }): ProcessorSupplier<K, V, K, Change<V>> {
  return processor((ctx) => {
    const store = ctx.getStateStore<TimestampedKeyValueStore<K, V>>(storeName);
    return (r: Record<K, V>) => {
      if (r.key === null || r.key === undefined) { ctx.recordDropped?.('null-key'); return; }
      const old = store.getWithTimestamp(r.key)?.value ?? null;
      store.putWithTimestamp(r.key, r.value ?? null, r.timestamp);
      ctx.forward(r.withValue({ newValue: r.value ?? null, oldValue: flags.sendOldValues ? old : null }));
    };
  });
}

/**
 * A table operator that computes a key's value from its parent's (filter, mapValues): the
 * new value always, the old one when a child needs it (from this node's store when it is
 * materialized, else computed from the parent's old value).
 */
export function tableTransform<K, V, VR>(options: {
  readonly compute: (key: K, value: V | null) => VR | null;
  readonly flags: { sendOldValues: boolean };
  readonly storeName?: string | undefined;
  /** Filters skip a change that is null on both sides when old values are sent. */
  readonly skipEmpty: boolean;
}): ProcessorSupplier<K, Change<V>, K, Change<VR>> {
  const { compute, flags, storeName, skipEmpty } = options;
  return processor((ctx) => {
    const store = storeName === undefined ? undefined : ctx.getStateStore<TimestampedKeyValueStore<K, VR>>(storeName);
    return (r: Record<K, Change<V>>) => {
      const newValue = compute(r.key, r.value.newValue);
      let oldValue: VR | null = null;
      if (flags.sendOldValues) oldValue = store ? store.getWithTimestamp(r.key)?.value ?? null : compute(r.key, r.value.oldValue);
      if (skipEmpty && flags.sendOldValues && oldValue === null && newValue === null) return;
      store?.putWithTimestamp(r.key, newValue, r.timestamp);
      ctx.forward(r.withValue({ newValue, oldValue }));
    };
  });
}
