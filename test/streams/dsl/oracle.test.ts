// Kafka Streams (Java, its own TopologyTestDriver) is the oracle of the stateful DSL: every
// scenario runs there and here, and outputs (topic, key, value, timestamp, in order), final store
// contents and the dropped-records count must agree. One JVM runs all scenarios.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { needs, present } from '../../requirements.ts';
import { dslOracle, runOracle, type ScenarioResult } from '../../dsl-oracle/oracle.ts';
import { SCENARIOS } from './oracle-scenarios.ts';
import { normalized, runOurs } from './oracle-runner.ts';

const oracle = suite('dsl oracle');
let theirs: Map<string, ScenarioResult> | undefined;

oracle.before(async () => {
  if (present(dslOracle)) theirs = await runOracle(SCENARIOS);
});

const gated = needs(dslOracle, oracle);
for (const scenario of SCENARIOS) {
  gated(scenario.name, async () => {
    const expected = theirs?.get(scenario.name);
    assert.ok(expected, `the oracle gave no result for "${scenario.name}"`);
    assert.is(expected.error, undefined, `Kafka Streams failed on "${scenario.name}": ${expected.error}`);
    const ours = await runOurs(scenario);
    assert.equal(normalized(ours), normalized(expected));
  });
}

oracle.run();
