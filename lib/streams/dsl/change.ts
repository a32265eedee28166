import type { Serde } from '../api/serde.ts';

/** What a table node forwards: a key's new value and, when a child asked for it, the old one. */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

/**
 * A Change through a repartition topic: [flags: 1][length of new: 4][new][old]. Internal to
 * the DSL (Kafka Streams' own layout differs; only this engine reads these topics).
 */
export function changeSerde<V>(inner: Serde<V>): Serde<Change<V>> {
  return {
    serialize(change, topic) {
      const n = change.newValue === null ? undefined : inner.serialize(change.newValue, topic);
      const o = change.oldValue === null ? undefined : inner.serialize(change.oldValue, topic);
      const out = new Uint8Array(5 + (n?.length ?? 0) + (o?.length ?? 0));
      out[0] = (n ? 1 : 0) | (o ? 2 : 0);
      new DataView(out.buffer).setUint32(1, n?.length ?? 0);
      if (n) out.set(n, 5);
      if (o) out.set(o, 5 + (n?.length ?? 0));
      return out;
    },
    deserialize(bytes, topic) {
      const flags = bytes[0] ?? 0;
      const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
      return {
        newValue: flags & 1 ? inner.deserialize(bytes.subarray(5, 5 + length), topic) : null,
        oldValue: flags & 2 ? inner.deserialize(bytes.subarray(5 + length), topic) : null,
      };
    },
  };
}
