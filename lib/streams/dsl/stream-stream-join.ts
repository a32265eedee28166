import type { Record } from '../api/record.ts';
import type { Serde } from '../api/serde.ts';
import type { KeyValueStore } from '../../state/api/store.ts';
import type { WindowStore } from '../../state/api/window-store.ts';
import type { StreamJoined } from './options.ts';
import type { JoinWindows } from './windows.ts';
import { Record as Rec } from '../api/record.ts';
import { Serdes } from '../serdes.ts';
import { Stores } from '../../state/stores.ts';
import { processor, requireSerde, withLogging } from './internal.ts';
import { KStream } from './kstream.ts';

export type StreamJoinKind = 'inner' | 'left' | 'outer';

/** Kafka Streams' internal default: non-joined records are looked for at most once per second of wall-clock time. */
const EMIT_INTERVAL_MS = 1000;

/** Stream time and the oldest non-joined record, shared by the two sides of one join in one task. */
interface SharedTime {
  streamTime: number;
  minTime: number;
  nextTimeToEmit: number;
}

/** Outer-store keys: [timestamp: 8][side: 1 (0 right, 1 left)][key][seq: 4], so a scan goes oldest first. */
function outerKey(timestamp: number, left: boolean, key: Uint8Array, seq: number): Uint8Array {
  const out = new Uint8Array(13 + key.length);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, BigInt(timestamp));
  out[8] = left ? 1 : 0;
  out.set(key, 9);
  view.setUint32(9 + key.length, seq);
  return out;
}

function outerPrefix(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, bytes.length - 4);
}

interface Side<K, VThis, VOther, VR> {
  readonly left: boolean;
  readonly outer: boolean;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly thisStore: string;
  readonly otherStore: string;
  readonly joiner: (thisValue: VThis | null, otherValue: VOther | null) => VR;
}

/**
 * Kafka Streams' KStreamKStreamJoin with its shared outer store (KIP-633's fix of spurious
 * left/outer results): a record without a partner waits until its window closes, then is
 * joined with null; one that comes too late to wait is joined with null at once.
 */
export function streamStreamJoin<K, V, VO, VR>(stream: KStream<K, V>, other: KStream<K, VO>, options: {
  readonly kind: StreamJoinKind;
  readonly joiner: (value: V, other: VO) => VR;
  readonly windows: JoinWindows;
  readonly joined: StreamJoined<K, V, VO>;
}): KStream<K, VR> {
  const { kind, windows, joined } = options;
  const joiner = options.joiner as unknown as (value: V | null, other: VO | null) => VR;
  const dsl = stream.dsl;
  const where = 'stream-stream join';
  const keySerde = requireSerde(joined.keySerde ?? stream.serdes.keySerde ?? other.serdes.keySerde, 'keySerde', where);
  const valueSerde = requireSerde(joined.valueSerde ?? stream.serdes.valueSerde, 'valueSerde', where);
  const otherSerde = requireSerde(joined.otherValueSerde ?? other.serdes.valueSerde, 'otherValueSerde', where);
  const thisName = dsl.next('JOINTHIS', undefined);
  const otherName = dsl.next('JOINOTHER', undefined);
  const mergeName = dsl.next('MERGE', joined.name);
  const base = joined.storeName ?? thisName;
  const thisStore = `${base}-this-join-store`;
  const otherStore = `${base}-other-join-store`;
  const outerStore = kind === 'inner' ? undefined : `${base}-outer-shared-join-store`;
  const left = stream.copartitioned(`${thisName}-left`, keySerde, valueSerde);
  const right = other.copartitioned(`${thisName}-right`, keySerde, otherSerde);

  const size = windows.beforeMs + windows.afterMs;
  const storeOptions = { retentionMs: size + windows.graceMs, windowSizeMs: size, retainDuplicates: true };
  const supplier = (name: string) => (joined.storeType === 'in-memory' ? Stores.inMemoryWindowStore(name, storeOptions) : Stores.persistentWindowStore(name, storeOptions));
  const logging = { logging: joined.logging } as { logging?: boolean };
  const t = dsl.topology;
  const windowThis = dsl.next('WINDOWED');
  const windowOther = dsl.next('WINDOWED');
  t.addProcessor(windowThis, windowPut<K, V>(thisStore), left.nodeName);
  t.addProcessor(windowOther, windowPut<K, VO>(otherStore), right.nodeName);
  const sharedByTask = new Map<string, SharedTime>();
  const shared = (taskId: string) => {
    let s = sharedByTask.get(taskId);
    if (!s) sharedByTask.set(taskId, (s = { streamTime: -1, minTime: Number.MAX_SAFE_INTEGER, nextTimeToEmit: 0 }));
    return s;
  };
  // A task's time goes with it (Kafka Streams drops its shared tracker when a join processor closes).
  const forget = (taskId: string) => sharedByTask.delete(taskId);
  const common = { keySerde, valueSerde, otherSerde, graceMs: windows.graceMs, outerStore, shared, forget };
  t.addProcessor(thisName, joinSide<K, V, VO, VR>({
    left: true, outer: kind !== 'inner', beforeMs: windows.beforeMs, afterMs: windows.afterMs, thisStore, otherStore,
    joiner: (a, b) => joiner(a, b),
  }, common), windowThis);
  t.addProcessor(otherName, joinSide<K, VO, V, VR>({
    left: false, outer: kind === 'outer', beforeMs: windows.afterMs, afterMs: windows.beforeMs, thisStore: otherStore, otherStore: thisStore,
    joiner: (a, b) => joiner(b, a),
  }, common), windowOther);
  t.addProcessor(mergeName, processor<K, VR, K, VR>((ctx) => (r) => ctx.forward(r)), thisName, otherName);
  t.addStateStore(withLogging(Stores.windowStoreBuilder(supplier(thisStore), keySerde, valueSerde), logging), windowThis, thisName, otherName);
  t.addStateStore(withLogging(Stores.windowStoreBuilder(supplier(otherStore), keySerde, otherSerde), logging), windowOther, thisName, otherName);
  if (outerStore) {
    const bytes = joined.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(outerStore) : Stores.persistentKeyValueStore(outerStore);
    t.addStateStore(withLogging(Stores.keyValueStoreBuilder(bytes, Serdes.Bytes(), Serdes.Bytes()), logging), thisName, otherName);
  }
  return new KStream<K, VR>(dsl, mergeName, { keySerde }, false);
}

/** Kafka Streams' KStreamJoinWindow: each record with a key and a value is kept in its side's window store. */
function windowPut<K, V>(storeName: string) {
  return processor<K, V, K, V>((ctx) => {
    const store = ctx.getStateStore<WindowStore<K, V>>(storeName);
    return (r: Record<K, V>) => {
      if (r.key !== null && r.key !== undefined && r.value !== null && r.value !== undefined) store.put(r.key, r.value, r.timestamp, r.timestamp);
      ctx.forward(r);
    };
  });
}

function joinSide<K, VThis, VOther, VR>(side: Side<K, VThis, VOther, VR>, common: {
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<unknown>;
  readonly otherSerde: Serde<unknown>;
  readonly graceMs: number;
  readonly outerStore: string | undefined;
  readonly shared: (taskId: string) => SharedTime;
  readonly forget: (taskId: string) => void;
}) {
  const { graceMs, keySerde } = common;
  // Values in the outer store are serialized with their own side's serde.
  const leftSerde = (side.left ? common.valueSerde : common.otherSerde) as Serde<unknown>;
  const rightSerde = (side.left ? common.otherSerde : common.valueSerde) as Serde<unknown>;
  return processor<K, VThis, K, VR>((ctx) => {
    const time = common.shared(ctx.taskId);
    const others = ctx.getStateStore<WindowStore<K, VOther>>(side.otherStore);
    const outer = common.outerStore === undefined ? undefined : ctx.getStateStore<KeyValueStore<Uint8Array, Uint8Array>>(common.outerStore);
    // Restored stores keep their keys: the next sequence follows the highest one there, so a
    // record put after a restart never overwrites one waiting with the same time and key.
    let seq: number | undefined;
    const nextSeq = (store: KeyValueStore<Uint8Array, Uint8Array>): number => {
      if (seq === undefined) {
        seq = 0;
        for (const { key } of store.all()) seq = Math.max(seq, new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(key.length - 4));
      }
      return ++seq;
    };
    const emitNonJoined = (r: Record<K, VThis>) => {
      if (!outer) return;
      if (time.minTime + side.afterMs + graceMs >= time.streamTime) return;
      if (ctx.currentSystemTimeMs() < time.nextTimeToEmit) return;
      time.nextTimeToEmit = ctx.currentSystemTimeMs() + EMIT_INTERVAL_MS;
      time.minTime = Number.MAX_SAFE_INTEGER;
      let leftOpen = false;
      let rightOpen = false;
      const emitted: Uint8Array[] = [];
      for (const { key, value } of [...outer.all()]) {
        const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
        const ts = Number(view.getBigInt64(0));
        const isLeft = key[8] === 1;
        time.minTime = ts;
        if (leftOpen && rightOpen) break;
        // A left record waits `after` past its time, a right one `before` (Kafka Streams' isOuterJoinWindowOpen).
        const lookBack = isLeft ? (side.left ? side.afterMs : side.beforeMs) : (side.left ? side.beforeMs : side.afterMs);
        if (time.minTime + lookBack + graceMs >= time.streamTime) {
          if (isLeft) leftOpen = true; else rightOpen = true;
          continue;
        }
        const k = keySerde.deserialize(key.subarray(9, key.length - 4));
        const leftValue = isLeft ? leftSerde.deserialize(value) : null;
        const rightValue = isLeft ? null : rightSerde.deserialize(value);
        const mine = (side.left ? leftValue : rightValue) as VThis | null;
        const theirs = (side.left ? rightValue : leftValue) as VOther | null;
        ctx.forward(new Rec(k, side.joiner(mine, theirs), ts, r.headers));
        emitted.push(key);
      }
      for (const key of emitted) outer.delete(key);
    };
    return (r: Record<K, VThis>) => {
      const ts = r.timestamp;
      time.streamTime = Math.max(time.streamTime, ts);
      if (side.outer && (r.key === null || r.key === undefined) && r.value !== null && r.value !== undefined) {
        ctx.forward(r.withValue(side.joiner(r.value, null)));
        return;
      }
      if (r.key === null || r.key === undefined || r.value === null || r.value === undefined) { ctx.recordDropped?.('null-key-or-value'); return; }
      if (ts === time.streamTime) emitNonJoined(r);
      const from = Math.max(0, ts - side.beforeMs);
      const to = Math.max(0, ts + side.afterMs);
      const matches = others.fetchRange(r.key, from, to);
      const keyBytes = keySerde.serialize(r.key);
      for (const m of matches) {
        // The partner is joined now: its own wait in the outer store ends.
        if (outer) for (const e of [...outer.range(outerKey(m.windowStart, !side.left, keyBytes, 0), outerKey(m.windowStart, !side.left, keyBytes, 0xffffffff))]) {
          if (outerPrefix(e.key).length === 9 + keyBytes.length) outer.delete(e.key);
        }
        ctx.forward(r.withValue(side.joiner(r.value, m.value)).withTimestamp(Math.max(ts, m.windowStart)));
      }
      if (side.outer && matches.length === 0) {
        if (!outer || to < time.streamTime) {
          ctx.forward(r.withValue(side.joiner(r.value, null)));
        } else {
          time.minTime = Math.min(time.minTime, ts);
          const serde = (side.left ? leftSerde : rightSerde) as Serde<VThis>;
          outer.put(outerKey(ts, side.left, keyBytes, nextSeq(outer)), serde.serialize(r.value));
        }
      }
    };
  }, (ctx) => common.forget(ctx.taskId));
}
