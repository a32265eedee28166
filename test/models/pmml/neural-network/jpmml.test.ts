// Our NeuralNetwork family against JPMML-Evaluator on fixtures the seed model does not cover;
// skipped (or failed, when a run requires Java) when Java is not installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { neuralNetworkFamily } from '../../../../lib/models/pmml/neural-network/family.ts';
import { diffAgainstJpmml } from './against-jpmml.ts';
import { NN_FIXTURES } from './fixtures.ts';
import { jpmml, needs } from '../../../requirements.ts';

const it = needs(jpmml);
// One JVM for every fixture, started by the first test.
let results: ReturnType<typeof diffAgainstJpmml> | undefined;
const againstJpmml = () => (results ??= diffAgainstJpmml(neuralNetworkFamily, NN_FIXTURES));

for (const f of NN_FIXTURES) {
  it(`${f.name} agrees with JPMML on all ${f.records.length} records`, async () => {
    const all = await againstJpmml();
    const diffs = all.get(f.name) ?? ['not scored'];
    assert.ok(diffs.length === 0, `${diffs.length} differ; first: ${diffs.slice(0, 3).join('\n')}`);
  });
}

test.run();
