import type { Serde } from '../api/serde.ts';
import type { KeyValueStore } from '../../state/api/store.ts';
import type { Windowed } from '../../state/api/window-store.ts';
import type { Change } from './change.ts';
import { Record } from '../api/record.ts';
import { Stores } from '../../state/stores.ts';
import { changeSerde } from './change.ts';
import { processor } from './internal.ts';

/**
 * What `KTable.suppress` holds back (Kafka Streams' `Suppressed`): `untilWindowCloses` emits one
 * final result per window once stream time passes its end plus the grace; `untilTimeLimit`
 * emits a key's latest update once stream time is `timeLimitMs` past it.
 */
export type Suppressed =
  | { readonly kind: 'until-window-closes' }
  | { readonly kind: 'until-time-limit'; readonly timeLimitMs: number };

export const Suppressed = {
  untilWindowCloses: (): Suppressed => ({ kind: 'until-window-closes' }),
  untilTimeLimit: (timeLimitMs: number): Suppressed => ({ kind: 'until-time-limit', timeLimitMs }),
} as const;

/** A buffered update: when it is due (`time`), its record's timestamp and the change. */
interface Entry<V> {
  readonly time: number;
  readonly timestamp: number;
  readonly change: Change<V>;
}

/** [time: 8][timestamp: 8][change]. */
function entrySerde<V>(valueSerde: Serde<V>): Serde<Entry<V>> {
  const changes = changeSerde(valueSerde);
  return {
    serialize: (e, topic) => {
      const change = changes.serialize(e.change, topic);
      const out = new Uint8Array(16 + change.length);
      const view = new DataView(out.buffer);
      view.setBigInt64(0, BigInt(e.time));
      view.setBigInt64(8, BigInt(e.timestamp));
      out.set(change, 16);
      return out;
    },
    deserialize: (bytes, topic) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { time: Number(view.getBigInt64(0)), timestamp: Number(view.getBigInt64(8)), change: changes.deserialize(bytes.subarray(16), topic) };
    },
  };
}

/** The buffer's store: in memory, change-logged, so a restarted task gets back what it held. */
export function suppressionStore<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>) {
  return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keySerde, entrySerde(valueSerde));
}

function keyId(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

/**
 * Kafka Streams' KTableSuppressProcessor with an unbounded buffer: one entry per key (the latest
 * update replaces the buffered one's value, not its time), evicted oldest due time first while it is at most stream
 * time minus the suppression. Final results drop tombstones.
 */
export function suppressProcessor<K, V>(suppressed: Suppressed, closeAfterMs: number | undefined, storeName: string) {
  const windowClose = suppressed.kind === 'until-window-closes';
  const duration = windowClose ? closeAfterMs ?? 0 : suppressed.timeLimitMs;
  return processor<K, Change<V>, K, Change<V>>((ctx) => {
    const store = ctx.getStateStore<KeyValueStore<K, Entry<V>>>(storeName);
    // The store holds the buffer; this index orders it (rebuilt from the restored store).
    const buffer = new Map<string, { key: K; entry: Entry<V> }>();
    let observed = -1;
    for (const { key, value } of store.all()) {
      buffer.set(keyId(key), { key, entry: value });
      observed = Math.max(observed, value.timestamp);
    }
    return (r) => {
      observed = Math.max(observed, r.timestamp);
      const id = keyId(r.key);
      // A key already buffered keeps its first time (Kafka Streams' time-ordered buffer): a time
      // limit bounds how long the oldest held update waits, not the newest.
      const held = buffer.get(id);
      const time = held ? held.entry.time : windowClose ? (r.key as unknown as Windowed<unknown>).window.end : r.timestamp;
      // The old value emitted is the one before the first held update (what downstream last saw).
      const change = held ? { newValue: r.value.newValue, oldValue: held.entry.change.oldValue } : r.value;
      const entry = { time, timestamp: r.timestamp, change };
      buffer.set(id, { key: r.key, entry });
      store.put(r.key, entry);
      const expiry = observed - duration;
      const due = [...buffer].filter(([, b]) => b.entry.time <= expiry)
        .sort(([ida, a], [idb, b]) => a.entry.time - b.entry.time || (ida < idb ? -1 : ida > idb ? 1 : 0));
      for (const [dueId, b] of due) {
        buffer.delete(dueId);
        store.delete(b.key);
        if (windowClose && b.entry.change.newValue === null) continue;
        ctx.forward(new Record(b.key, b.entry.change, b.entry.timestamp));
      }
    };
  });
}
