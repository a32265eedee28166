// Our GeneralRegressionModel family against JPMML-Evaluator on fixtures the seed models do not
// cover; skipped when Java is not installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generalRegressionFamily } from '../../../../lib/models/pmml/general-regression/family.ts';
import { diffAgainstJpmml } from '../neural-network/against-jpmml.ts';
import { GR_FIXTURES } from './fixtures.ts';

const results = diffAgainstJpmml(generalRegressionFamily, GR_FIXTURES);

for (const f of GR_FIXTURES) {
  test(`${f.name} agrees with JPMML on all ${f.records.length} records`, async () => {
    const all = await results;
    if (all === null) return;
    const diffs = all.get(f.name) ?? ['not scored'];
    assert.ok(diffs.length === 0, `${diffs.length} differ; first: ${diffs.slice(0, 3).join('\n')}`);
  });
}

test.run();
