// The public PMML corpus against JPMML-Evaluator: per model family, the median per-record time
// ratio ours/JPMML over (at most --timed-per-family) documents both evaluate equally on every
// row, and the share of documents equal on every row. Needs the corpus fetched first:
//   node --import tsx scripts/pmml-corpus.ts --mirror /work/.mirror   (or without --mirror: from GitHub)
// and prints SKIPPED when it is absent. The conformance detail is test/pmml-corpus's.
// Run: node --import tsx bench/pmml-corpus.ts [--quick] [--timed-per-family N (default 1)] [--only ID-FRAGMENT]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusDir, readManifest } from '../test/pmml-corpus/manifest.ts';
import { equalShare, familyTable, runCorpus, type CorpusCase } from '../test/pmml-corpus/run.ts';
import { emitFigures, emitSkipped, type Figure } from './table.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, brokers: { type: 'string' }, 'timed-per-family': { type: 'string' }, only: { type: 'string' } } });
const dir = join(corpusDir, '.cache');
const cases: CorpusCase[] = readManifest().documents
  .filter((d) => flags.only === undefined || d.id.includes(flags.only))
  .map((d) => ({ id: d.id, model: join(dir, `${d.id}.pmml`), input: join(dir, `${d.id}.input.jsonl`) }))
  .filter((c) => existsSync(c.model) && existsSync(c.input));
if (cases.length === 0) {
  emitSkipped(`no PMML corpus in ${dir}: fetch it with node --import tsx scripts/pmml-corpus.ts --mirror /work/.mirror (or without --mirror, from GitHub)`);
  process.exit(0);
}
const t0 = Date.now();
const results = await runCorpus(cases, { timing: true, timedPerFamily: Number(flags['timed-per-family'] ?? 1) });
const figures: Figure[] = [];
for (const row of familyTable(results)) {
  if (row.timeRatio === undefined) continue;
  // Ratios only: one JVM per timed document, so JPMML's µs are not summed over families.
  figures.push({
    group: 'PMML corpus, per-record time ours / JPMML', name: `${row.family} (${row.equal} of ${row.documents} documents equal)`, unit: '×',
    ours: row.timeRatio, target: { max: 1 },
  });
}
const share = equalShare(results);
figures.push({ group: 'PMML corpus, conformance', name: `documents equal on every row, of ${share.evaluable} JPMML evaluates`, unit: '%', ours: share.percent });
console.error(`[bench] ${cases.length} corpus documents in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
emitFigures(figures);
