// Conformance with JPMML-Evaluator, the reference: for every seed model (on all 1599 rows of
// winequality_red.csv), every fixture of ours (on its own records) and every demo model in
// data/models (on data/wine.csv), loadPmml(...).score(record) must equal JPMML's result.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPmml, ModelLoadError, RecordError, type FeatureRecord, type Model } from '../../../lib/models/index.ts';
import { dataCases, fixtureCases, readRecords, seedCases, type ConformanceCase } from '../../jpmml/cases.ts';
import { compareOutcome, type OurOutcome } from '../../jpmml/compare.ts';
import { jpmmlScoreMany, type JpmmlFileResult } from '../../jpmml/jpmml.ts';
import { jpmml, needs, seed } from '../../requirements.ts';

const MAX_REPORTED = 5;

/**
 * Models JPMML scores but ours refuses at load, by design: the test then asserts a
 * ModelLoadError naming the element instead. Keep this list short and justified.
 */
const REFUSED_BY_DESIGN: Readonly<{ [caseName: string]: { element: string; why: string } }> = {};

function ours(model: Model, record: FeatureRecord): OurOutcome {
  try {
    const p = model.score(record);
    return { kind: 'scored', value: p.value, probabilities: p.probabilities, segments: p.segments, outputs: p.outputs, targets: p.targets };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return err instanceof RecordError ? { kind: 'error', message } : { kind: 'crash', message };
  }
}

function conforms(c: ConformanceCase, jpmml: () => Promise<Map<string, JpmmlFileResult>>): () => Promise<void> {
  return async () => {
    const all = await jpmml();
    const result = all.get(c.model);
    if (result?.kind !== 'scored') {
      return assert.unreachable(`JPMML did not score ${c.model}: ${result?.message ?? 'no result'}`);
    }
    const theirs = result;
    const refused = REFUSED_BY_DESIGN[c.name];
    if (refused) {
      try {
        loadPmml(readFileSync(c.model, 'utf8'));
      } catch (err) {
        assert.instance(err, ModelLoadError);
        assert.match((err as Error).message, refused.element);
        return;
      }
      assert.unreachable(`expected ours to refuse ${refused.element} at load (${refused.why})`);
    }
    const records = readRecords(c.input);
    assert.is(theirs.outcomes.length, records.length, 'JPMML scored every record');
    const model = loadPmml(readFileSync(c.model, 'utf8'));
    const mismatches: string[] = [];
    records.forEach((record, i) => {
      const diff = compareOutcome(ours(model, record), theirs.outcomes[i]!);
      if (diff) mismatches.push(`row ${i} ${JSON.stringify(record)}: ${diff}`);
    });
    model.close();
    if (mismatches.length > 0) {
      const shown = mismatches.slice(0, MAX_REPORTED).join('\n  ');
      assert.unreachable(`${mismatches.length} of ${records.length} records differ from JPMML; first:\n  ${shown}`);
    }
  };
}

const seedModels = seedCases(); // none without the seed data
const ownModels = [...fixtureCases(), ...dataCases()];

// One JVM scores every case, once, when the first test asks.
let all: Promise<Map<string, JpmmlFileResult>> | undefined;
const scored = () => (all ??= jpmmlScoreMany([...seedModels, ...ownModels]));

const withSeedAndJava = needs([seed, jpmml]);
if (seedModels.length === 0) {
  // Stands for the seed models when they cannot be listed, so their absence is counted.
  withSeedAndJava('seed/*.pmml conform on all 1599 rows', () => assert.unreachable('the seed data holds no .pmml model'));
}
for (const c of seedModels) withSeedAndJava(c.name, conforms(c, scored));
const withJava = needs(jpmml);
for (const c of ownModels) withJava(c.name, conforms(c, scored));

test.run();
