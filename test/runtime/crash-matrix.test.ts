// At-least-once with exact state: the counting app (LevelDB store, and the user-written file
// store) is killed -9 in a child process at each point of its commit cycle and at a random
// record, then restarted on the same state directory. Every input must have an output, every
// stored count must equal its key's inputs, and duplicates stay within one commit per partition.
import * as assert from 'uvu/assert';
import { forEachBroker } from './targets.ts';
import { runScenario, type Outcome, type Scenario } from './crash-scenario.ts';
import type { KillPoint, StoreKind } from './fixtures/crash-app.ts';

const base = { keys: 20, perKey: 40, partitions: 2, maxRecordsPerCommit: 40, killAtCommit: 3 };
const window = base.maxRecordsPerCommit * base.partitions;
const points: (KillPoint | 'random')[] = ['processor-flush', 'before-store-flush', 'after-store-flush', 'after-offset-commit', 'random'];
const scenarios: Scenario[] = (['leveldb', 'file'] as StoreKind[]).flatMap((store) => points.map((point) => ({ ...base, store, point })));
/** Children run this many at a time: each costs a second or two of CPU to start. */
const PARALLEL = 10;

const what: { [P in KillPoint | 'random']: string } = {
  'processor-flush': 'in the processors\' flush (nothing sent)',
  'before-store-flush': 'after the acks, before the stores\' flush',
  'after-store-flush': 'after the stores\' flush, before checkpoint and offsets',
  'after-offset-commit': 'right after the offset commit',
  random: 'at a random record',
};

function describe(o: Outcome): string {
  return `in ${o.records}, out ${o.results}, missing ${o.missing}, duplicated ${o.duplicated}, stored ${o.storedTotal}, wrong keys ${o.wrongKeys}, killed after ${o.killedAfter}`;
}

forEachBroker('test/runtime/crash-matrix.test.ts', (test, brokers) => {
  const outcomes = new Map<Scenario, Promise<Outcome>>();
  test.before(() => {
    const lanes: Promise<unknown>[] = Array.from({ length: PARALLEL }, () => Promise.resolve());
    scenarios.forEach((s, i) => {
      const run = lanes[i % PARALLEL]!.then(() => runScenario(brokers(), s));
      lanes[i % PARALLEL] = run.catch(() => {});
      outcomes.set(s, run);
      run.catch(() => {});
    });
  });

  for (const s of scenarios) {
    test(`${s.store} store killed ${what[s.point]}: every input has an output, stored counts equal the inputs, duplicates <= ${window}`, async () => {
      const o = await outcomes.get(s)!;
      assert.is(o.missing, 0, `inputs without an output (${describe(o)})`);
      assert.is(o.wrongKeys, 0, `keys whose stored count is not their number of inputs (${describe(o)})`);
      assert.is(o.storedTotal, o.records, describe(o));
      assert.ok(o.duplicated <= window, `${o.duplicated} duplicates, more than one commit per partition (${describe(o)})`);
    });
  }
});
