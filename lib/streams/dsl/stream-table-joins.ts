import type { Record } from '../api/record.ts';
import type { TimestampedKeyValueStore } from '../../state/timestamped.ts';
import type { GlobalKTable } from './global-ktable.ts';
import type { Joined, Named } from './options.ts';
import type { KTable } from './ktable.ts';
import { processor } from './internal.ts';
import { KStream } from './kstream.ts';
import type { StreamJoinKind } from './stream-stream-join.ts';

/**
 * Kafka Streams' KStreamKTableJoinProcessor, shared by table and global-table joins: a record
 * with a null value, or a null join key, is dropped (a left join keeps a null record key).
 */
function joinProcessor<K, V, KT, VT, VR>(options: {
  readonly left: boolean;
  readonly keyOf: (key: K, value: V) => KT;
  readonly lookup: (ctx: Parameters<Parameters<typeof processor>[0]>[0]) => (key: KT) => VT | undefined;
  readonly joiner: (value: V, other: VT | null) => VR;
}) {
  const { left, keyOf, lookup, joiner } = options;
  return processor<K, V, K, VR>((ctx) => {
    const get = lookup(ctx as never);
    return (r: Record<K, V>) => {
      const mapped = keyOf(r.key, r.value);
      const nullKeyKept = left && (r.key === null || r.key === undefined) && r.value !== null && r.value !== undefined;
      if (!nullKeyKept && (mapped === null || mapped === undefined || r.value === null || r.value === undefined)) { ctx.recordDropped?.('null-key-or-value'); return; }
      const other = mapped === null || mapped === undefined ? undefined : get(mapped);
      if (left || other !== undefined) ctx.forward(r.withValue(joiner(r.value, other ?? null)));
    };
  });
}

export function streamTableJoin<K, V, VO, VR>(stream: KStream<K, V>, table: KTable<K, VO>, options: {
  readonly kind: StreamJoinKind;
  readonly joiner: (value: V, other: VO) => VR;
  readonly joined: Joined<K, V, VO>;
}): KStream<K, VR> {
  if (options.kind === 'outer') throw new TypeError('A stream-table join is inner or left; outerJoin takes a stream');
  const dsl = stream.dsl;
  const name = dsl.next('JOIN', options.joined.name);
  const input = stream.copartitioned(`${name}-left`, options.joined.keySerde, options.joined.valueSerde);
  const getter = table.node.valueGetter();
  dsl.topology.addProcessor(name, joinProcessor<K, V, K, VO, VR>({
    left: options.kind === 'left',
    keyOf: (k) => k,
    lookup: (ctx) => { const get = getter.init(ctx as never); return (k) => get(k)?.value; },
    joiner: options.joiner as (value: V, other: VO | null) => VR,
  }), input.nodeName);
  if (getter.storeNames.length) dsl.topology.connectProcessorAndStateStores(name, ...getter.storeNames);
  return new KStream<K, VR>(dsl, name, { keySerde: input.serdes.keySerde }, false);
}

export function streamGlobalJoin<K, V, KG, VG, VR>(stream: KStream<K, V>, table: GlobalKTable<KG, VG>, options: {
  readonly kind: StreamJoinKind;
  readonly keySelector: (key: K, value: V) => KG;
  readonly joiner: (value: V, other: VG) => VR;
  readonly named: Named;
}): KStream<K, VR> {
  if (options.kind === 'outer') throw new TypeError('A global-table join is inner or left');
  const dsl = stream.dsl;
  const name = dsl.next('JOIN', options.named.name);
  const storeName = table.queryableStoreName;
  dsl.topology.addProcessor(name, joinProcessor<K, V, KG, VG, VR>({
    left: options.kind === 'left',
    keyOf: options.keySelector,
    lookup: (ctx) => { const store = ctx.getStateStore<TimestampedKeyValueStore<KG, VG>>(storeName); return (k) => store.get(k); },
    joiner: options.joiner as (value: V, other: VG | null) => VR,
  }), stream.nodeName);
  return new KStream<K, VR>(dsl, name, { keySerde: stream.serdes.keySerde }, stream.repartitionRequired);
}
