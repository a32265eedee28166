// Exactly-once under kill -9: the counting app (LevelDB store, and an in-memory store rebuilt
// from its changelog) runs in a child under exactly_once_v2 and is killed again and again: in a
// batch before anything is sent, with a transaction's records sent but not its offsets, with
// records and offsets sent but no EndTxn, right after EndTxn (stores not flushed, no
// checkpoint), and at a random instant. Restarted on the same state directory each time, then
// run to the end. Read read_committed, the output holds exactly one result per input, and every
// stored count equals its key's inputs.
import * as assert from 'uvu/assert';
import { forEachBroker } from './targets.ts';
import { EOS_MATRIX, killName, runEosScenario, type EosOutcome, type EosScenario } from './eos-scenario.ts';

const scenarios = EOS_MATRIX;

function row(broker: string, s: EosScenario, o: EosOutcome): string {
  return `| ${broker} | ${s.store} | ${s.kills.length} (${s.kills.map(killName).join('; ')}) | ${o.records} | ${o.results} | ${o.duplicated} | ${o.missing} | ${o.storedTotal} | ${o.wrongKeys} | ${o.committedPerRun.join(',')} |`;
}

forEachBroker('test/runtime/eos-crash-matrix.test.ts', (test, brokers) => {
  const outcomes = new Map<EosScenario, Promise<EosOutcome>>();
  test.before(() => {
    for (const s of scenarios) {
      const run = runEosScenario(brokers(), s);
      run.catch(() => {});
      outcomes.set(s, run);
    }
  });

  for (const s of scenarios) {
    test(`${s.store} store killed -9 ${s.kills.length} times under exactly_once_v2: read_committed output has exactly one result per input, stored counts equal the inputs`, async () => {
      const o = await outcomes.get(s)!;
      console.log('| broker | store | kills | inputs | results | duplicates | missing | stored total | wrong keys | txns committed per run |');
      console.log(row(brokers()[0]!, s, o));
      assert.is(o.duplicated, 0, 'results for the same input twice');
      assert.is(o.missing, 0, 'inputs without a result');
      assert.is(o.results, o.records, 'one result per input');
      assert.is(o.wrongKeys, 0, 'keys whose stored count is not their number of inputs');
      assert.is(o.storedTotal, o.records);
    });
  }
});
