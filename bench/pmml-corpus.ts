// The full public PMML corpus against JPMML-Evaluator: per-family table of documents, equal on
// every row, differ, refused by ours, refused by JPMML, crashes, and the median per-record time
// ratio ours/JPMML on the equal documents; last, the FIGURES line of `npm run bench -- pmml-corpus`
// (per-family time ratios, the equal share), or SKIPPED when the corpus is absent.
// Fetch first: node --import tsx scripts/pmml-corpus.ts [--mirror /work/.mirror]
// Run: node --import tsx bench/pmml-corpus.ts [--no-timing] [--timed-per-family N (default 4)] [--ci] [--only ID-FRAGMENT] [--list]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, readManifest } from '../test/pmml-corpus/manifest.ts';
import { equalShare, familyTable, formatTable, runCorpus, type CorpusCase } from '../test/pmml-corpus/run.ts';
import { emitFigures, emitSkipped, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/pmml-corpus.ts',
  summary: 'The public PMML corpus against JPMML-Evaluator: per family, documents equal on every row, differ,\nrefused by either, crashes, and the median per-record time ratio ours/JPMML; SKIPPED when not fetched\n(fetch with node --import tsx scripts/pmml-corpus.ts [--mirror DIR]).',
  options: {
    'no-timing': { type: 'boolean', description: 'compare outputs only, time nothing' },
    'timed-per-family': { type: 'string', value: 'count', description: 'documents timed per family', defaultText: '4' },
    ci: { type: 'boolean', description: "only the CI subset (the corpus's ci/ directory)" },
    only: { type: 'string', arg: 'ID-FRAGMENT', description: 'only documents whose id contains this' },
    list: { type: 'boolean', description: 'also print one line per document' },
    quick: { type: 'boolean', description: 'accepted and ignored (npm run bench -- --quick pmml-corpus passes it)' },
    brokers: { type: 'string', value: 'brokers', description: 'accepted and ignored (no broker is used)' },
  },
  examples: ['node --import tsx bench/pmml-corpus.ts --ci --no-timing --list'],
});
const only = flags.only;
const dir = join(corpusDir, flags.ci ? 'ci' : '.cache');
const cases: CorpusCase[] = readManifest().documents
  .filter((d) => (!flags.ci || d.ci) && (only === undefined || d.id.includes(only)))
  .map((d) => ({ id: d.id, model: join(dir, `${d.id}.pmml`), input: join(dir, `${d.id}.input.jsonl`) }))
  .filter((c) => existsSync(c.model) && existsSync(c.input));
if (cases.length === 0) {
  // Not a failure of `npm run bench`: the corpus is fetched on demand, not committed.
  emitSkipped(`no corpus documents in ${dir}: fetch them with node --import tsx scripts/pmml-corpus.ts [--mirror DIR]`);
  process.exit(0);
}
const t0 = Date.now();
const perFamily = flags['timed-per-family'] !== undefined ? Number(flags['timed-per-family']) : 4;
const results = await runCorpus(cases, { timing: !flags['no-timing'], timedPerFamily: perFamily });
if (flags.list) {
  for (const r of results) {
    const s = r.status;
    const detail = s.kind === 'equal' ? '' : s.kind === 'differ' ? `${s.rows}/${s.of} rows; ${s.first}` : s.message;
    console.log(`${s.kind.padEnd(13)} ${r.family.padEnd(28)} ${r.id}  ${detail.slice(0, 300)}`);
  }
}
const families = familyTable(results);
console.log(formatTable(families));
const share = equalShare(results);
console.log(`\n${share.equal} of ${share.evaluable} documents JPMML evaluates are equal on every row: ${share.percent.toFixed(1)}% (${cases.length} documents, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
const figures: Figure[] = families.flatMap((row) => (row.timeRatio === undefined ? [] : [{
  group: 'PMML corpus, per-record time ours / JPMML', name: `${row.family} (${row.equal} of ${row.documents} documents equal)`, unit: '×',
  ours: row.timeRatio, target: { max: 1 },
}]));
figures.push({ group: 'PMML corpus, conformance', name: `documents equal on every row, of ${share.evaluable} JPMML evaluates`, unit: '%', ours: share.percent });
emitFigures(figures);
