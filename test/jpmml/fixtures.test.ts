// Our PMML fixtures and demo models are valid for the reference: JPMML-Evaluator loads each
// one and scores most of its records (a fixture whose records all fail checks nothing).
import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataCases, fixtureCases, readRecords } from './cases.ts';
import { jpmmlScoreMany, type JpmmlFileResult } from './jpmml.ts';
import { jpmml, needs } from '../requirements.ts';

const cases = [...fixtureCases(), ...dataCases()];

test('every fixture has its records file', () => {
  const missing = fixtureCases().filter((c) => !existsSync(c.input)).map((c) => c.name);
  assert.equal(missing, []);
});

const withJava = needs(jpmml);
let all: Promise<Map<string, JpmmlFileResult>> | undefined;
const scored = () => (all ??= jpmmlScoreMany(cases));
for (const c of cases) {
  withJava(`JPMML accepts ${c.name}`, async () => {
    const result = (await scored()).get(c.model);
    if (result?.kind !== 'scored') return assert.unreachable(`JPMML refused it: ${result?.message ?? 'no result'}`);
    assert.is(result.outcomes.length, readRecords(c.input).length, 'one result per record');
    const errors = result.outcomes.filter((o) => o.kind === 'error').length;
    assert.ok(errors * 2 < result.outcomes.length, `${errors} of ${result.outcomes.length} records rejected`);
  });
}

test.run();
