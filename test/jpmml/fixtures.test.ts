// Our PMML fixtures and demo models are valid for the reference: JPMML-Evaluator loads each
// one and scores most of its records (a fixture whose records all fail checks nothing).
import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataCases, fixtureCases, readRecords } from './cases.ts';
import { javaUnavailableReason, jpmmlScoreMany, type JpmmlFileResult } from './jpmml.ts';

const required = process.env.MODELSTREAM_REQUIRE_JAVA === '1' || process.env.MODELSTREAM_REQUIRE_KAFKA === '1';
const unavailable = javaUnavailableReason();
const cases = [...fixtureCases(), ...dataCases()];

test('every fixture has its records file', () => {
  const missing = fixtureCases().filter((c) => !existsSync(c.input)).map((c) => c.name);
  assert.equal(missing, []);
});

if (unavailable && !required) {
  console.log(`[jpmml fixtures] skipped: ${unavailable}. Set MODELSTREAM_REQUIRE_JAVA=1 to make this a failure.`);
  test.skip('JPMML accepts every fixture and demo model', () => {});
} else {
  let all: Promise<Map<string, JpmmlFileResult>> | undefined;
  const jpmml = () => (all ??= jpmmlScoreMany(cases));
  for (const c of cases) {
    test(`JPMML accepts ${c.name}`, async () => {
      const result = (await jpmml()).get(c.model);
      if (result?.kind !== 'scored') return assert.unreachable(`JPMML refused it: ${result?.message ?? 'no result'}`);
      assert.is(result.outcomes.length, readRecords(c.input).length, 'one result per record');
      const errors = result.outcomes.filter((o) => o.kind === 'error').length;
      assert.ok(errors * 2 < result.outcomes.length, `${errors} of ${result.outcomes.length} records rejected`);
    });
  }
}

test.run();
