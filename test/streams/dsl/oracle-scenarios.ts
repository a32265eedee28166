// The oracle scenarios: the same inputs run through Kafka Streams' TopologyTestDriver (Java) and
// ours, outputs and stores compared record by record (test/streams/dsl/oracle.test.ts).
import type { Scenario, Step } from '../../dsl-oracle/oracle.ts';

const p = (topic: string, key: string | null, value: string | null, ts: number): Step => ({ topic, key, value, ts });
const at = (topic: string, key: string | null, value: string | null) => (ts: number) => p(topic, key, value, ts);
const advance = (ms: number): Step => ({ advance: ms });
const kv = (name: string) => ({ name, kind: 'kv' as const });
const win = (name: string) => ({ name, kind: 'window' as const });
const ses = (name: string) => ({ name, kind: 'session' as const });
const longOut = { out: 'long' as const };
const strOut = { out: 'string' as const };

/** Records of one key on `in` at these timestamps. */
const keyAt = (key: string, ...times: number[]) => times.map((ts) => p('in', key, `v${ts}`, ts));

const tableJoinSteps: Step[] = [
  p('left', 'a', '1', 1), p('right', 'a', 'x', 2), p('right', 'b', 'y', 3), p('left', 'b', '2', 4),
  p('left', 'a', '3', 5), p('right', 'a', null, 6), p('left', 'a', null, 7), p('right', 'c', 'z', 8), p('right', 'c', null, 9),
];

export const SCENARIOS: readonly Scenario[] = [
  // Aggregations of a stream
  { name: 'count: keys counted', topology: 'count', steps: [p('in', 'a', 'x', 1), p('in', 'b', 'y', 2), p('in', 'a', 'z', 3)], outputs: longOut, stores: [kv('counts')] },
  { name: 'count: null keys and values dropped', topology: 'count', steps: [p('in', 'a', 'x', 1), p('in', null, 'y', 2), p('in', 'a', null, 3), p('in', 'b', 'w', 4)], outputs: longOut, stores: [kv('counts')] },
  { name: 'count: out-of-order records keep the newest timestamp', topology: 'count', steps: [p('in', 'a', 'x', 10), p('in', 'a', 'y', 5), p('in', 'b', 'z', 3), p('in', 'a', 'w', 12)], outputs: longOut, stores: [kv('counts')] },
  { name: 'reduce: values concatenated in arrival order', topology: 'reduce', steps: [p('in', 'a', '1', 1), p('in', 'a', '2', 5), p('in', 'b', '3', 2), p('in', 'a', '4', 3)], outputs: strOut, stores: [kv('reduced')] },
  { name: 'aggregate: sum with initializer, null value dropped', topology: 'aggregate', steps: [p('in', 'a', '1', 1), p('in', 'a', '2', 2), p('in', 'b', '10', 3), p('in', 'a', null, 4), p('in', 'a', '5', 5)], outputs: longOut, stores: [kv('sums')] },
  { name: 'groupBy: counts by value through a repartition topic', topology: 'group-by', steps: [p('in', 'k1', 'x', 1), p('in', 'k2', 'x', 2), p('in', 'k3', 'y', 3), p('in', 'k1', 'x', 4)], outputs: longOut, stores: [kv('value-counts')] },
  { name: 'selectKey then groupByKey repartitions', topology: 'select-key', steps: [p('in', 'k', 'apple', 1), p('in', 'k', 'avocado', 2), p('in', 'k', 'banana', 3), p('in', 'j', 'blueberry', 4)], outputs: longOut, stores: [kv('initials')] },
  // Stateless routing
  { name: 'merge and split: first matching branch, then default', topology: 'merge-split', steps: [p('in', 'a', 'apple', 1), p('in2', 'b', 'banana', 2), p('in', 'c', 'cherry', 3), p('in2', 'd', 'avocado', 4), p('in', 'e', 'berry', 5)], outputs: { 'out-a': 'string', 'out-b': 'string', 'out-rest': 'string' }, stores: [] },
  { name: 'repartition keeps keys and timestamps', topology: 'repartition', steps: [p('in', 'a', 'x', 1), p('in', 'b', 'y', 2), p('in', 'a', 'z', 7)], outputs: strOut, stores: [] },
  { name: 'toTable: tombstones delete and are forwarded', topology: 'to-table', steps: [p('in', 'a', '1', 1), p('in', 'b', '2', 2), p('in', 'a', null, 3), p('in', 'c', null, 4), p('in', 'b', '3', 5), p('in', null, 'n', 6)], outputs: strOut, stores: [kv('tt')] },
  // Tables
  { name: 'table filter: a filtered-out update is a tombstone downstream', topology: 'table-filter', steps: [p('table', 'a', 'xx', 1), p('table', 'b', 'y', 2), p('table', 'a', 'z', 3), p('table', 'a', null, 4), p('table', 'c', 'long', 5)], outputs: strOut, stores: [kv('src')] },
  { name: 'table filterNot materialized: its store keeps what passes', topology: 'table-filter-materialized', steps: [p('table', 'a', 'ok', 1), p('table', 'b', 'xno', 2), p('table', 'a', 'xbad', 3), p('table', 'c', 'fine', 4), p('table', 'c', null, 5)], outputs: strOut, stores: [kv('kept'), kv('src')] },
  { name: 'table groupBy count: old value subtracted, new one added', topology: 'table-group-count', steps: [p('table', 'k1', 'x', 1), p('table', 'k2', 'x', 2), p('table', 'k1', 'y', 3), p('table', 'k2', null, 4), p('table', 'k3', 'y', 5), p('table', 'k3', 'y', 6)], outputs: longOut, stores: [kv('per-value')] },
  { name: 'table groupBy aggregate: same new key is one update', topology: 'table-group-aggregate', steps: [p('table', 'a1', 'p', 1), p('table', 'a2', 'q', 2), p('table', 'b1', 'r', 3), p('table', 'a1', 's', 4), p('table', 'a2', null, 5), p('table', 'b1', 't', 6)], outputs: strOut, stores: [kv('agg')] },
  { name: 'table filter then groupBy: filtered values leave the count', topology: 'table-filter-group', steps: [p('table', 'k1', 'a', 1), p('table', 'k2', 'a', 2), p('table', 'k1', 'xa', 3), p('table', 'k2', 'b', 4), p('table', 'k3', 'xb', 5), p('table', 'k1', 'b', 6)], outputs: longOut, stores: [kv('fg-counts')] },
  { name: 'table groupBy reduce: adder and subtractor, first value is the aggregate', topology: 'table-reduce', steps: [p('table', 'a1', 'p', 1), p('table', 'a2', 'q', 2), p('table', 'a1', 's', 3), p('table', 'a1', null, 4), p('table', 'a2', null, 5), p('table', 'a3', 'r', 6)], outputs: strOut, stores: [kv('red')] },
  { name: 'stream-table join after selectKey: the stream is repartitioned first', topology: 'select-key-join', steps: [p('table', 'x', 'X', 1), p('in', 'a', 'x', 2), p('in', 'b', 'y', 3), p('table', 'y', 'Y', 4), p('in', 'c', 'y', 5)], outputs: strOut, stores: [kv('t')] },
  { name: 'left join of a mapped table: deletes reach the join through mapValues', topology: 'mapped-table-left-join', steps: tableJoinSteps, outputs: strOut, stores: [] },
  { name: 'table-table join: inner', topology: 'table-join', steps: tableJoinSteps, outputs: strOut, stores: [kv('l'), kv('r')] },
  { name: 'table-table join: left', topology: 'table-left-join', steps: tableJoinSteps, outputs: strOut, stores: [] },
  { name: 'table-table join: outer', topology: 'table-outer-join', steps: tableJoinSteps, outputs: strOut, stores: [] },
  { name: 'table-table join: result timestamp is the newer side', topology: 'table-join', steps: [p('left', 'a', '1', 10), p('right', 'a', 'x', 5), p('right', 'a', 'y', 20), p('left', 'a', '2', 7)], outputs: strOut, stores: [] },
  { name: 'table-table left join: a right delete joins with null', topology: 'table-left-join', steps: [p('left', 'a', '1', 1), p('right', 'a', 'x', 2), p('right', 'a', null, 3), p('right', 'b', 'y', 4), p('right', 'b', null, 5)], outputs: strOut, stores: [] },
  // Stream-table and global joins
  ...(['stream-table-join', 'stream-table-left-join'] as const).map((topology): Scenario => ({
    name: `${topology}: lookups, late table rows, table deletes`, topology,
    steps: [p('table', 'a', 'A', 1), p('in', 'a', '1', 2), p('in', 'b', '2', 3), p('table', 'b', 'B', 4), p('in', 'b', '3', 5), p('table', 'a', null, 6), p('in', 'a', '4', 7), p('in', 'a', null, 8)],
    outputs: strOut, stores: [kv('t')],
  })),
  { name: 'stream-table left join: a null-key record joins with null', topology: 'stream-table-left-join', steps: [p('table', 'a', 'A', 1), p('in', null, 'n', 2), p('in', 'a', 'v', 3)], outputs: strOut, stores: [] },
  { name: 'stream-table join: a null-key record is dropped', topology: 'stream-table-join', steps: [p('table', 'a', 'A', 1), p('in', null, 'n', 2), p('in', 'a', 'v', 3)], outputs: strOut, stores: [] },
  ...(['global-join', 'global-left-join'] as const).map((topology): Scenario => ({
    name: `${topology}: joined on a value-derived key`, topology,
    steps: [p('global', 'x', 'X', 1), p('in', 'a', 'x', 2), p('in', 'b', 'y', 3), p('global', 'y', 'Y', 4), p('in', 'c', 'y', 5), p('global', 'x', null, 6), p('in', 'd', 'x', 7)],
    outputs: strOut, stores: [],
  })),
  // Time windows
  { name: 'tumbling count: the window end is exclusive', topology: 'tumbling-count', steps: [...keyAt('a', 1, 9, 10), ...keyAt('b', 15)], outputs: longOut, stores: [win('tw')] },
  { name: 'tumbling count: a record after window end plus grace is dropped', topology: 'tumbling-count', steps: keyAt('a', 1, 20, 2, 14), outputs: longOut, stores: [win('tw')] },
  { name: 'tumbling count: grace edge (end == close time closes)', topology: 'tumbling-count', steps: keyAt('a', 1, 14, 2, 15, 3), outputs: longOut, stores: [win('tw')] },
  { name: 'tumbling count: stream time is shared by keys', topology: 'tumbling-count', steps: [...keyAt('a', 3), ...keyAt('b', 30), ...keyAt('a', 4)], outputs: longOut, stores: [win('tw')] },
  { name: 'hopping count: a record is in every overlapping window', topology: 'hopping-count', steps: keyAt('a', 1, 6, 12), outputs: longOut, stores: [win('hw')] },
  { name: 'hopping count: late for one window, in time for the next', topology: 'hopping-count', steps: keyAt('a', 3, 22, 8, 14), outputs: longOut, stores: [win('hw')] },
  { name: 'tumbling reduce without grace', topology: 'tumbling-reduce', steps: [p('in', 'a', 'x', 1), p('in', 'a', 'y', 5), p('in', 'a', 'z', 12), p('in', 'b', 'w', 3), p('in', 'a', 'q', 9)], outputs: strOut, stores: [win('wr')] },
  { name: 'suppress untilWindowCloses: one final count per window', topology: 'tumbling-suppress', steps: [...keyAt('a', 1, 3), ...keyAt('b', 5), ...keyAt('a', 11, 12, 25)], outputs: longOut, stores: [win('sw')] },
  { name: 'suppress untilWindowCloses: late records change nothing', topology: 'tumbling-suppress', steps: keyAt('a', 1, 13, 2, 30), outputs: longOut, stores: [] },
  { name: 'suppress untilWindowCloses: nothing before the window closes', topology: 'tumbling-suppress', steps: keyAt('a', 1, 5, 9, 11), outputs: longOut, stores: [] },
  // Session windows
  { name: 'session count: sessions merge, old ones are deleted', topology: 'session-count', steps: keyAt('a', 1, 3, 10, 6), outputs: longOut, stores: [ses('sess')] },
  { name: 'session count: late records are dropped', topology: 'session-count', steps: [...keyAt('a', 1, 20, 2), ...keyAt('b', 1)], outputs: longOut, stores: [ses('sess')] },
  { name: 'session count: a gap of exactly the inactivity gap merges', topology: 'session-count', steps: keyAt('a', 0, 5, 11, 16), outputs: longOut, stores: [ses('sess')] },
  { name: 'session count: an out-of-order record inside a session', topology: 'session-count', steps: keyAt('a', 2, 8, 5, 4), outputs: longOut, stores: [ses('sess')] },
  { name: 'session suppress: final sessions once closed', topology: 'session-suppress', steps: [...keyAt('a', 1, 3), ...keyAt('b', 4), ...keyAt('a', 20, 40)], outputs: longOut, stores: [] },
  // Sliding windows
  { name: 'sliding count: left windows, right windows and the previous record\'s right window', topology: 'sliding-count', steps: keyAt('a', 15, 18, 30, 22), outputs: longOut, stores: [win('slw')] },
  { name: 'sliding count: records before the time difference share [0, d]', topology: 'sliding-count', steps: keyAt('a', 2, 4, 15, 9), outputs: longOut, stores: [win('slw')] },
  { name: 'sliding count: a record past its window end plus grace is dropped', topology: 'sliding-count', steps: keyAt('a', 12, 40, 20, 26), outputs: longOut, stores: [win('slw')] },
  { name: 'sliding count: two records at the same time', topology: 'sliding-count', steps: keyAt('a', 20, 20, 25), outputs: longOut, stores: [win('slw')] },
  // Stream-stream joins
  { name: 'stream join: records within the time difference join', topology: 'stream-join', steps: [p('left', 'a', '1', 1), p('right', 'a', 'x', 3), p('right', 'a', 'y', 7), p('left', 'a', '2', 6), p('right', 'b', 'z', 6)], outputs: strOut, stores: [] },
  { name: 'stream join: window bounds are inclusive', topology: 'stream-join', steps: [p('left', 'a', '1', 10), p('right', 'a', 'x', 5), p('right', 'a', 'y', 15), p('right', 'a', 'z', 16), p('right', 'a', 'w', 4)], outputs: strOut, stores: [] },
  { name: 'stream join: null keys and values are dropped', topology: 'stream-join', steps: [p('left', null, '1', 1), p('right', 'a', null, 2), p('left', 'a', '2', 3), p('right', 'a', 'x', 4)], outputs: strOut, stores: [] },
  { name: 'stream left join: a lonely record waits for its window to close', topology: 'stream-left-join', steps: [p('left', 'a', '1', 1), p('left', 'b', '2', 2), p('right', 'a', 'x', 3), p('left', 'c', '3', 20)], outputs: strOut, stores: [] },
  { name: 'stream left join: emission is throttled by wall-clock time', topology: 'stream-left-join', steps: [p('left', 'b', '2', 2), p('left', 'c', '3', 20), p('left', 'd', '4', 40), advance(1000), p('left', 'e', '5', 41)], outputs: strOut, stores: [] },
  { name: 'stream outer join: both sides wait, then join with null', topology: 'stream-outer-join', steps: [p('left', 'a', '1', 1), p('right', 'b', 'x', 2), p('right', 'a', 'y', 4), p('left', 'c', '2', 30)], outputs: strOut, stores: [] },
  // Tombstones in table-table joins
  ...(['table-join', 'table-left-join', 'table-outer-join'] as const).map((topology): Scenario => ({
    name: `${topology}: tombstones of keys never seen, of one side, of both sides, then re-inserted`, topology,
    steps: [p('left', 'n', null, 1), p('right', 'm', null, 2), p('left', 'a', '1', 3), p('right', 'a', 'x', 4), p('left', 'a', null, 5), p('right', 'a', null, 6),
      p('right', 'a', 'y', 7), p('left', 'a', '2', 8), p('right', 'b', 'z', 9), p('left', 'b', null, 10), p('right', 'b', null, 11)],
    outputs: strOut, stores: [kv('l'), kv('r')],
  })),
  // Grace edges of session windows (gap 5, grace 3)
  { name: 'session count: a merged session ending at the close time is kept, one ending before it dropped', topology: 'session-count', steps: [...keyAt('a', 1), ...keyAt('b', 9), ...keyAt('a', 6), ...keyAt('c', 5)], outputs: longOut, stores: [ses('sess')] },
  { name: 'session count: a late record bridging two sessions merges them when the merged end is in time', topology: 'session-count', steps: [...keyAt('a', 1, 10), ...keyAt('b', 13), ...keyAt('a', 5)], outputs: longOut, stores: [ses('sess')] },
  { name: 'session suppress: a session is final once stream time passes its end (grace 0)', topology: 'session-suppress', steps: [...keyAt('a', 1, 3), ...keyAt('b', 8), ...keyAt('b', 9), ...keyAt('c', 14)], outputs: longOut, stores: [] },
  // Suppress untilTimeLimit
  { name: 'count suppress untilTimeLimit: a key\'s updates held until stream time is the limit past its first buffered one', topology: 'count-time-limit', steps: [...keyAt('a', 1, 5), ...keyAt('b', 6), ...keyAt('a', 11, 12), ...keyAt('c', 13), ...keyAt('b', 30)], outputs: longOut, stores: [kv('tl-counts')] },
  { name: 'table suppress untilTimeLimit: tombstones are emitted too, the latest update wins', topology: 'table-time-limit', steps: [p('table', 'a', '1', 1), p('table', 'a', '2', 2), p('table', 'b', 'x', 3), p('table', 'a', null, 4), p('table', 'c', 'y', 6), p('table', 'b', null, 9), p('table', 'd', 'z', 20)], outputs: strOut, stores: [kv('src')] },
  { name: 'table suppress untilTimeLimit(0): every update passes at once', topology: 'table-time-limit-zero', steps: [p('table', 'a', '1', 5), p('table', 'a', '2', 3), p('table', 'b', null, 4), p('table', 'a', null, 6)], outputs: strOut, stores: [] },
  { name: 'stream outer join: a record too late to wait joins with null at once', topology: 'stream-outer-join', steps: [p('left', 'a', '1', 20), p('right', 'b', 'x', 2), p('left', null, 'n', 21)], outputs: strOut, stores: [] },
];
