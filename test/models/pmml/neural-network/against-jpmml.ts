// Scores fixtures with our family (through the fake context and through loadPmml) and with
// JPMML-Evaluator, and lists the records on which they differ. Callers gate on test/requirements.ts's
// `jpmml`: without Java the harness throws a JavaUnavailableError.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordError, type FeatureRecord } from '../../../../lib/models/api/model.ts';
import { loadPmml } from '../../../../lib/models/pmml/load.ts';
import type { ModelFamily } from '../../../../lib/models/pmml/family.ts';
import { compareOutcome, type OurOutcome } from '../../../jpmml/compare.ts';
import { jpmmlScoreMany } from '../../../jpmml/jpmml.ts';
import { compileWith } from './fake-context.ts';

export interface Fixture { readonly name: string; readonly pmml: string; readonly records: readonly FeatureRecord[] }

function ours(family: ModelFamily, fixture: Fixture): OurOutcome[] {
  const { model, slots } = compileWith(family, fixture.pmml);
  return fixture.records.map((record): OurOutcome => {
    try {
      const s = model.score(slots(record as never));
      const probabilities = s.probabilities && Object.fromEntries(model.labels.map((l, i) => [l, s.probabilities![i] as number]));
      return { kind: 'scored', value: s.value, probabilities };
    } catch (e) {
      return { kind: 'error', message: String(e) };
    }
  });
}

/** The same records through the whole pipeline (loadPmml), as the application scores them. */
function oursLoaded(fixture: Fixture): OurOutcome[] {
  const model = loadPmml(fixture.pmml);
  return fixture.records.map((record): OurOutcome => {
    try {
      const p = model.score(record);
      return { kind: 'scored', value: p.value, probabilities: p.probabilities };
    } catch (e) {
      return e instanceof RecordError ? { kind: 'error', message: e.message } : { kind: 'crash', message: String(e) };
    }
  });
}

/** Differences by fixture name (empty lists when all agree). */
export async function diffAgainstJpmml(family: ModelFamily, fixtures: readonly Fixture[]): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-fixtures-'));
  const pairs = fixtures.map((f) => {
    const model = join(dir, `${f.name}.pmml`), input = join(dir, `${f.name}.input.jsonl`);
    writeFileSync(model, f.pmml);
    writeFileSync(input, f.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { model, input, fixture: f };
  });
  const results = await jpmmlScoreMany(pairs);
  const out = new Map<string, string[]>();
  for (const { model, fixture } of pairs) {
    const theirs = results.get(model);
    if (theirs?.kind !== 'scored') {
      out.set(fixture.name, [`JPMML did not score it: ${theirs?.message ?? 'no result'}`]);
      continue;
    }
    const diffs: string[] = [];
    for (const [path, mine] of [['family', ours(family, fixture)], ['loadPmml', oursLoaded(fixture)]] as const) {
      mine.forEach((o, i) => {
        const d = compareOutcome(o, theirs.outcomes[i]!);
        if (d) diffs.push(`${path}: record ${i} ${JSON.stringify(fixture.records[i])}: ${d}`);
      });
    }
    out.set(fixture.name, diffs);
  }
  return out;
}
