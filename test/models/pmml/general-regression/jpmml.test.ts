// Our GeneralRegressionModel family against JPMML-Evaluator on fixtures the seed models do not
// cover; skipped when Java is not installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generalRegressionFamily } from '../../../../lib/models/pmml/general-regression/family.ts';
import { diffAgainstJpmml } from '../neural-network/against-jpmml.ts';
import { COX_FIXTURES } from './cox-fixtures.ts';
import { GR_FIXTURES } from './fixtures.ts';
import { jpmml, needs } from '../../../requirements.ts';

const it = needs(jpmml);
// One JVM for every fixture, started by the first test.
let results: ReturnType<typeof diffAgainstJpmml> | undefined;
const FIXTURES = [...GR_FIXTURES, ...COX_FIXTURES];
const againstJpmml = () => (results ??= diffAgainstJpmml(generalRegressionFamily, FIXTURES));

for (const f of FIXTURES) {
  it(`${f.name} agrees with JPMML on all ${f.records.length} records`, async () => {
    const all = await againstJpmml();
    const diffs = all.get(f.name) ?? ['not scored'];
    assert.ok(diffs.length === 0, `${diffs.length} differ; first: ${diffs.slice(0, 3).join('\n')}`);
  });
}

test.run();
