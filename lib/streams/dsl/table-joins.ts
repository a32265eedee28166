import type { Record } from '../api/record.ts';
import type { Change } from './change.ts';
import type { KTable } from './ktable.ts';
import { processor, type Dsl } from './internal.ts';
import type { TableNode, ValueGetter, ValueGetterSupplier } from './table-node.ts';

export type TableJoinKind = 'inner' | 'left' | 'outer';

type Joiner<V, VO, VR> = (value: V | null, other: VO | null) => VR;

/**
 * How one side of a table-table join treats a change, after Kafka Streams' KTableKTable*Join:
 * `inner` needs the other side's value; `left` (the left side of a left join) keeps its rows
 * without one; `right-of-left` (its right side) needs the left value and joins even a delete;
 * `outer` joins whenever either side has a value.
 */
type SideRule = 'inner' | 'left' | 'right-of-left' | 'outer';

function joinSide<K, V, VO, VR>(options: {
  readonly rule: SideRule;
  readonly join: (mine: V | null, theirs: VO | null) => VR;
  readonly other: ValueGetterSupplier<K, VO>;
  readonly flags: { sendOldValues: boolean };
}) {
  const { rule, join, other, flags } = options;
  return processor<K, Change<V>, K, Change<VR>>((ctx) => {
    const get: ValueGetter<K, VO> = other.init(ctx as never);
    return (r: Record<K, Change<V>>) => {
      if (r.key === null || r.key === undefined) { ctx.recordDropped?.('null-key'); return; }
      const found = get(r.key);
      const theirs = found?.value ?? null;
      const { newValue: next, oldValue: prev } = r.value;
      if (found === undefined && (rule === 'inner' || rule === 'right-of-left' || (next === null && prev === null))) return;
      const timestamp = found === undefined ? r.timestamp : Math.max(r.timestamp, found.timestamp);
      const always = rule === 'right-of-left' || (rule === 'outer' && found !== undefined);
      const newValue = next !== null || always ? join(next, theirs) : null;
      const oldValue = flags.sendOldValues && (prev !== null || always) ? join(prev, theirs) : null;
      ctx.forward(r.withValue({ newValue, oldValue }).withTimestamp(timestamp));
    };
  });
}

/** Adds the two join processors and their merge node; answers the result table's node. */
export function joinTables<K, V, VO, VR>(dsl: Dsl, options: {
  readonly kind: TableJoinKind;
  readonly left: KTable<K, V>;
  readonly right: KTable<K, VO>;
  readonly joiner: Joiner<V, VO, VR>;
  readonly name?: string | undefined;
}): { name: string; node: TableNode<K, VR> } {
  const { kind, left, right, joiner } = options;
  const flags = { sendOldValues: false };
  const thisName = dsl.nextRaw('KTABLE-JOINTHIS');
  const otherName = dsl.nextRaw('KTABLE-JOINOTHER');
  const mergeName = options.name ?? dsl.nextRaw('KTABLE-MERGE');
  // A left or outer join must know when this side's row goes (its old value), to forward the delete.
  if (kind !== 'inner') left.node.enableSendingOldValues();
  if (kind === 'outer') right.node.enableSendingOldValues();
  const leftGetter = left.node.valueGetter();
  const rightGetter = right.node.valueGetter();
  const leftRule: SideRule = kind;
  const rightRule: SideRule = kind === 'left' ? 'right-of-left' : kind;
  const leftSide = { rule: leftRule, join: (mine: V | null, theirs: VO | null) => joiner(mine, theirs), other: rightGetter, flags };
  const rightSide = { rule: rightRule, join: (mine: VO | null, theirs: V | null) => joiner(theirs, mine), other: leftGetter, flags };
  const t = dsl.topology;
  t.addProcessor(thisName, joinSide<K, V, VO, VR>(leftSide), left.nodeName);
  t.addProcessor(otherName, joinSide<K, VO, V, VR>(rightSide), right.nodeName);
  if (rightGetter.storeNames.length) t.connectProcessorAndStateStores(thisName, ...rightGetter.storeNames);
  if (leftGetter.storeNames.length) t.connectProcessorAndStateStores(otherName, ...leftGetter.storeNames);
  t.addProcessor(mergeName, processor<K, Change<VR>, K, Change<VR>>((ctx) => (r) => ctx.forward(r)), thisName, otherName);
  const node: TableNode<K, VR> = {
    flags,
    enableSendingOldValues: () => { left.node.enableSendingOldValues(); right.node.enableSendingOldValues(); flags.sendOldValues = true; },
    valueGetter: () => ({
      storeNames: [...leftGetter.storeNames, ...rightGetter.storeNames],
      init: (ctx) => {
        const l = leftGetter.init(ctx);
        const r = rightGetter.init(ctx);
        return (key) => {
          const a = l(key);
          const b = r(key);
          if (a === undefined && b === undefined) return undefined;
          if (kind === 'inner' && (a === undefined || b === undefined)) return undefined;
          if (kind === 'left' && a === undefined) return undefined;
          return { value: joiner(a?.value ?? null, b?.value ?? null), timestamp: Math.max(a?.timestamp ?? 0, b?.timestamp ?? 0) };
        };
      },
    }),
  };
  return { name: mergeName, node };
}
