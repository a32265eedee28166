// The oracle's topologies in modelstream's DSL: each is the twin of the case of the same name in
// test/dsl-oracle/src/main/java/org/modelstream/oracle/Topologies.java. Inputs are String/String,
// outputs String keys with String or Int64 values; windowed keys print as key@start/end.
import { JoinWindows, Serdes, SessionWindows, SlidingWindows, StreamsBuilder, Suppressed, TimeWindows, type KTable, type Topology, type Windowed } from '../../../lib/index.ts';

const S = Serdes.String();
const L = Serdes.Int64();
const strings = { keySerde: S, valueSerde: S };

function windowed(w: Windowed<string>): string {
  return `${w.key}@${w.window.start}/${w.window.end}`;
}

function windowedTo<V>(table: KTable<Windowed<string>, V>, topic: string, valueSerde = L as unknown as typeof S): void {
  table.toStream().map((w, v) => ({ key: windowed(w), value: v })).to(topic, { keySerde: S, valueSerde: valueSerde as never });
}

export function oracleTopology(name: string): Topology {
  const b = new StreamsBuilder();
  const input = () => b.stream<string, string>('in', strings);
  switch (name) {
    case 'count':
      input().groupByKey().count({ storeName: 'counts' }).toStream().to('out', { valueSerde: L });
      break;
    case 'reduce':
      input().groupByKey().reduce((a, v) => `${a}+${v}`, { storeName: 'reduced' }).toStream().to('out');
      break;
    case 'aggregate':
      input().groupByKey().aggregate(() => 0, (_k, v, a) => a + Number(v), { storeName: 'sums', valueSerde: L }).toStream().to('out');
      break;
    case 'group-by':
      input().groupBy((_k, v) => v, { name: 'byvalue', keySerde: S }).count({ storeName: 'value-counts' }).toStream().to('out', { valueSerde: L });
      break;
    case 'select-key':
      input().selectKey((_k, v) => v.substring(0, 1)).groupByKey({ keySerde: S }).count({ storeName: 'initials' }).toStream().to('out', { valueSerde: L });
      break;
    case 'merge-split': {
      const branches = input().merge(b.stream<string, string>('in2', strings)).split({ name: 's-' })
        .branch((_k, v) => v.startsWith('a'), { name: 'a' })
        .branch((_k, v) => v.startsWith('b'), { name: 'b' })
        .defaultBranch({ name: 'rest' });
      branches.get('s-a')!.to('out-a');
      branches.get('s-b')!.to('out-b');
      branches.get('s-rest')!.to('out-rest');
      break;
    }
    case 'repartition':
      input().repartition({ name: 'rp' }).mapValues((v) => v.toUpperCase()).to('out', { valueSerde: S });
      break;
    case 'to-table':
      input().toTable({ materialized: { storeName: 'tt' } }).toStream().to('out');
      break;
    case 'table-filter':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .filter((_k, v) => v.length > 1).mapValues((v) => v.toUpperCase()).toStream().to('out', strings);
      break;
    case 'table-filter-materialized':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .filterNot((_k, v) => v.startsWith('x'), { materialized: { storeName: 'kept' } }).toStream().to('out');
      break;
    case 'table-group-count':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .groupBy((k, v) => ({ key: v, value: k }), { name: 'regroup', ...strings })
        .count({ storeName: 'per-value' }).toStream().to('out', { valueSerde: L });
      break;
    case 'table-filter-group':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .filter((_k, v) => !v.startsWith('x'))
        .groupBy((k, v) => ({ key: v, value: k }), { name: 'fg', ...strings })
        .count({ storeName: 'fg-counts' }).toStream().to('out', { valueSerde: L });
      break;
    case 'table-reduce':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .groupBy((k, v) => ({ key: k.substring(0, 1), value: v }), { name: 'regroup', ...strings })
        .reduce((a, v) => `${a}+${v}`, (a, v) => `${a}-${v}`, { storeName: 'red' })
        .toStream().to('out');
      break;
    case 'select-key-join': {
      const table = b.table('table', { ...strings, materialized: { storeName: 't' } });
      input().selectKey((_k, v) => v).join(table, (v, t) => `${v}/${t}`, { keySerde: S }).to('out', { valueSerde: S });
      break;
    }
    case 'mapped-table-left-join': {
      const left = b.table('left', { ...strings, materialized: { storeName: 'l' } }).mapValues((v) => v.toUpperCase());
      const right = b.table('right', { ...strings, materialized: { storeName: 'r' } });
      left.leftJoin(right, (x, y) => `${x}/${y}`).toStream().to('out', { valueSerde: S });
      break;
    }
    case 'table-group-aggregate':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .groupBy((k, v) => ({ key: k.substring(0, 1), value: v }), { name: 'regroup', ...strings })
        .aggregate(() => '', (_k, v, a) => `${a}+${v}`, (_k, v, a) => `${a}-${v}`, { storeName: 'agg', valueSerde: S })
        .toStream().to('out');
      break;
    case 'table-join':
    case 'table-left-join':
    case 'table-outer-join': {
      const left = b.table('left', { ...strings, materialized: { storeName: 'l' } });
      const right = b.table('right', { ...strings, materialized: { storeName: 'r' } });
      const joiner = (x: string | null, y: string | null) => `${x}/${y}`;
      const joined = name === 'table-join' ? left.join(right, joiner) : name === 'table-left-join' ? left.leftJoin(right, joiner) : left.outerJoin(right, joiner);
      joined.toStream().to('out', { valueSerde: S });
      break;
    }
    case 'stream-table-join':
    case 'stream-table-left-join': {
      const table = b.table('table', { ...strings, materialized: { storeName: 't' } });
      const joined = name === 'stream-table-join'
        ? input().join(table, (v, t) => `${v}/${t}`)
        : input().leftJoin(table, (v, t) => `${v}/${t}`);
      joined.to('out', { valueSerde: S });
      break;
    }
    case 'global-join':
    case 'global-left-join': {
      const global = b.globalTable('global', { ...strings, materialized: { storeName: 'g' } });
      const joined = name === 'global-join'
        ? input().join(global, (_k, v) => v, (v, g) => `${v}/${g}`)
        : input().leftJoin(global, (_k, v) => v, (v, g) => `${v}/${g}`);
      joined.to('out', { valueSerde: S });
      break;
    }
    case 'tumbling-count':
      windowedTo(input().groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count({ storeName: 'tw' }), 'out');
      break;
    case 'hopping-count':
      windowedTo(input().groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5).advanceBy(5)).count({ storeName: 'hw' }), 'out');
      break;
    case 'tumbling-reduce':
      windowedTo(input().groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).reduce((a, v) => `${a}+${v}`, { storeName: 'wr' }), 'out', S);
      break;
    case 'tumbling-suppress':
      windowedTo(input().groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 2)).count({ storeName: 'sw' }).suppress(Suppressed.untilWindowCloses()), 'out');
      break;
    case 'session-count':
      windowedTo(input().groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 3)).count({ storeName: 'sess' }), 'out');
      break;
    case 'session-suppress':
      windowedTo(input().groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 0)).count({ storeName: 'sess' }).suppress(Suppressed.untilWindowCloses()), 'out');
      break;
    case 'sliding-count':
      windowedTo(input().groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5)).count({ storeName: 'slw' }), 'out');
      break;
    case 'stream-join':
    case 'stream-left-join':
    case 'stream-outer-join': {
      const left = b.stream<string, string>('left', strings);
      const right = b.stream<string, string>('right', strings);
      const windows = JoinWindows.ofTimeDifferenceAndGrace(5, 2);
      const joined = { storeName: 'ssj' };
      const joiner = (x: string | null, y: string | null) => `${x}/${y}`;
      const out = name === 'stream-join' ? left.join(right, joiner, windows, joined)
        : name === 'stream-left-join' ? left.leftJoin(right, joiner, windows, joined)
          : left.outerJoin(right, joiner, windows, joined);
      out.to('out', { valueSerde: S });
      break;
    }
    case 'count-time-limit':
      input().groupByKey().count({ storeName: 'tl-counts' }).suppress(Suppressed.untilTimeLimit(10)).toStream().to('out', { valueSerde: L });
      break;
    case 'table-time-limit':
    case 'table-time-limit-zero':
      b.table('table', { ...strings, materialized: { storeName: 'src' } })
        .suppress(Suppressed.untilTimeLimit(name === 'table-time-limit' ? 5 : 0)).toStream().to('out', { valueSerde: S });
      break;
    default:
      throw new Error(`unknown oracle topology ${name}`);
  }
  return b.build();
}
