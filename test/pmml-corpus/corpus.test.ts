// The committed subset of the public PMML corpus (test/pmml-corpus/ci: DMG examples via
// pmml4s, sklearn-pmml-model and cPMML documents) against JPMML-Evaluator, every row compared
// (1e-9 relative, probabilities and Output fields included). One test per document: equal to
// JPMML, or, for the documents listed in KNOWN_GAPS, refused at load naming the element or
// differing for the reason given. JPMML's own refusals are only checked not to crash ours.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jpmml, needs } from '../requirements.ts';
import { corpusDir, readManifest } from './manifest.ts';
import { runCorpus, type CaseResult, type CorpusCase } from './run.ts';

/** Documents ours does not equal yet, with why. A gap closed fails its test until it is removed here. */
const KNOWN_GAPS: Readonly<{ [id: string]: string }> = {};

const dir = join(corpusDir, 'ci');
const cases: CorpusCase[] = readManifest().documents.filter((d) => d.ci)
  .map((d) => ({ id: d.id, model: join(dir, `${d.id}.pmml`), input: join(dir, `${d.id}.input.jsonl`) }));

let results: Promise<Map<string, CaseResult>> | undefined;
const all = () => (results ??= runCorpus(cases).then((rs) => new Map(rs.map((r) => [r.id, r]))));

const withJava = needs(jpmml);

test('every document the manifest marks ci is committed with its records', () => {
  const absent = cases.filter((c) => !existsSync(c.model) || !existsSync(c.input)).map((c) => c.id);
  assert.equal(absent, [], 'run node --import tsx scripts/pmml-corpus.ts --ci');
});

for (const c of cases) {
  withJava(c.id, async () => {
    const r = (await all()).get(c.id);
    assert.ok(r, 'a result for every document');
    const s = r.status;
    if (s.kind === 'crash') return assert.unreachable(`ours crashed: ${s.message}`);
    if (s.kind === 'jpmml-refused') return; // nothing to compare with; ours only must not crash
    const gap = KNOWN_GAPS[c.id];
    if (gap === undefined) {
      if (s.kind === 'refused') return assert.unreachable(`ours refused it at load: ${s.message}`);
      if (s.kind === 'differ') return assert.unreachable(`${s.rows} of ${s.of} rows differ from JPMML; first: ${s.first}`);
      return;
    }
    if (s.kind === 'equal') return assert.unreachable(`equal to JPMML now: remove it from KNOWN_GAPS (${gap})`);
    if (s.kind === 'refused') assert.match(s.message, /<[A-Za-z]+/, 'a refusal names the element');
  });
}

test.run();
