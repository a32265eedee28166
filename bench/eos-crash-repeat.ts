// Repeats the exactly-once crash matrix's scenario (test/runtime/eos-crash-matrix.test.ts) on
// real Kafka, the LevelDB and in-memory stores side by side as the test runs them, and prints
// each round's outcome; exits 1 if any round was wrong. It caught, about once in 20 rounds under
// load, an input partition counted twice: the scenario's writer had written it twice (a retried
// Produce), which scenario-inputs.ts now prevents and detects.
// Run: EOS_ROUNDS=5 [EOS_BROKERS=host:port] node --import tsx bench/eos-crash-repeat.ts
// (environment, not flags: the child fixture this imports treats argv[2] as its own arguments)
import { parseCli } from './cli.ts';

// Parsed before the scenario modules load (imported below, not statically): the child fixture
// they pull in reads argv[2] when it is loaded, and would take --help for its JSON arguments.
parseCli({
  script: 'bench/eos-crash-repeat.ts',
  summary: "Repeats the exactly-once crash matrix's scenario on real Kafka, LevelDB and in-memory stores side\nby side, printing each round's outcome; exits 1 if any round was wrong. Configured by environment\nvariables, not flags.",
  options: {},
  env: [
    { name: 'EOS_ROUNDS', value: 'count', description: 'rounds to run', defaultText: '5' },
    { name: 'EOS_BROKERS', value: 'brokers', description: 'host:port[,...] of a Kafka to use', defaultText: 'start real Kafka here' },
  ],
  examples: ['EOS_ROUNDS=20 node --import tsx bench/eos-crash-repeat.ts'],
});
const { startKafka } = await import('../scripts/kafka/kafka.ts');
const { EOS_MATRIX, runEosScenario } = await import('../test/runtime/eos-scenario.ts');
const { writerErrors } = await import('../test/runtime/scenario-inputs.ts');

const flags = { brokers: process.env.EOS_BROKERS };
const rounds = Number(process.env.EOS_ROUNDS ?? 5);
const scenarios = EOS_MATRIX;

const kafka = flags.brokers ? undefined : await startKafka({ log: (m: string) => console.error(m) });
let bad = 0;
try {
  const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
  for (let round = 1; round <= rounds; round++) {
    const outcomes = await Promise.all(scenarios.map((s) => runEosScenario(brokers, s)));
    outcomes.forEach((o, i) => {
      const wrong = o.results !== o.records || o.duplicated > 0 || o.missing > 0 || o.wrongKeys > 0;
      if (wrong) bad++;
      console.log(`round ${round} ${scenarios[i]!.store}: ${wrong ? 'WRONG' : 'ok'} ${JSON.stringify(o)}`);
    });
  }
} finally {
  await kafka?.stop();
}
console.log(`${bad} wrong of ${rounds * scenarios.length}`);
// A Produce retried after one of these once wrote an input partition twice; now the broker drops the retried batch.
console.log(`errors while writing inputs: ${writerErrors.length}${writerErrors.length ? ` (${[...new Set(writerErrors)].join('; ')})` : ''}`);
process.exit(bad ? 1 : 0);
