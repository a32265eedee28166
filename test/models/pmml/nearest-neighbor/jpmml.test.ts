// NearestNeighborModel against JPMML-Evaluator through loadPmml: clustering under each binary
// similarity, mixed targets, DerivedField inputs, minkowski (ranked and nearest-only) and
// training cells under MiningField treatments; every record's value, targets and Output fields.
// Skipped (or failed, when a run requires Java) without Java.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jpmml, needs } from '../../../requirements.ts';
import { diffLoadedAgainstJpmml } from '../loaded-against-jpmml.ts';
import { KNN_DOCUMENTS } from './fixtures.ts';

const it = needs(jpmml);
// One JVM for every document, started by the first test.
let results: ReturnType<typeof diffLoadedAgainstJpmml> | undefined;
const againstJpmml = () => (results ??= diffLoadedAgainstJpmml(KNN_DOCUMENTS));

for (const d of KNN_DOCUMENTS) {
  it(`${d.name} equals JPMML on all ${d.records.length} records`, async () => {
    const diffs = (await againstJpmml()).get(d.name) ?? ['not scored'];
    assert.ok(diffs.length === 0, `${diffs.length} differ; first: ${diffs.slice(0, 3).join('\n')}`);
  });
}

test.run();
