// Scores documents through loadPmml and through JPMML-Evaluator (one JVM for all) and lists, per
// document, the records on which they differ: value, probabilities, Output fields and targets,
// with the conformance tolerances. Callers gate on test/requirements.ts's `jpmml`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPmml, RecordError, type FeatureRecord } from '../../../lib/models/index.ts';
import { compareOutcome, type OurOutcome } from '../../jpmml/compare.ts';
import { jpmmlScoreMany } from '../../jpmml/jpmml.ts';

export interface Document { readonly name: string; readonly pmml: string; readonly records: readonly FeatureRecord[] }

function ours(doc: Document): OurOutcome[] {
  const model = loadPmml(doc.pmml);
  return doc.records.map((record): OurOutcome => {
    try {
      const p = model.score(record);
      return { kind: 'scored', value: p.value, probabilities: p.probabilities, segments: p.segments, outputs: p.outputs, targets: p.targets };
    } catch (e) {
      return e instanceof RecordError ? { kind: 'error', message: e.message } : { kind: 'crash', message: String(e) };
    }
  });
}

/** Differences by document name: an empty list when every record agrees. */
export async function diffLoadedAgainstJpmml(docs: readonly Document[]): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-pmml-'));
  const pairs = docs.map((d) => {
    const model = join(dir, `${d.name}.pmml`), input = join(dir, `${d.name}.input.jsonl`);
    writeFileSync(model, d.pmml);
    writeFileSync(input, d.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { model, input, doc: d };
  });
  const results = await jpmmlScoreMany(pairs);
  const out = new Map<string, string[]>();
  for (const { model, doc } of pairs) {
    const theirs = results.get(model);
    if (theirs?.kind !== 'scored') {
      out.set(doc.name, [`JPMML did not score it: ${theirs?.message ?? 'no result'}`]);
      continue;
    }
    const diffs: string[] = [];
    ours(doc).forEach((o, i) => {
      const d = compareOutcome(o, theirs.outcomes[i] ?? { kind: 'error', message: 'no JPMML outcome' });
      if (d) diffs.push(`record ${i} ${JSON.stringify(doc.records[i])}: ${d}`);
    });
    out.set(doc.name, diffs);
  }
  return out;
}
