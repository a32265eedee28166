// Fetches the public PMML conformance corpus listed in test/pmml-corpus/manifest.json into the
// git-ignored test/pmml-corpus/.cache (<id>.pmml + <id>.input.jsonl), each file at its pinned
// commit, from raw.githubusercontent.com or, with --mirror DIR, from local bare clones laid out
// DIR/<owner>+<name>/repo. --ci rewrites the committed subset (test/pmml-corpus/ci) instead.
// Run: node --import tsx scripts/pmml-corpus.ts [--mirror DIR] [--ci] [--only ID-FRAGMENT]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from '../test/pmml-corpus/csv.ts';
import { generateRecords, seedOf } from '../test/pmml-corpus/generate.ts';
import { corpusDir, readManifest, type CorpusDocument, type RemoteFile } from '../test/pmml-corpus/manifest.ts';

/** Rows taken from a dataset CSV: enough to reach every branch of these models, small enough for CI. */
const MAX_ROWS = 500;

class CorpusFetchError extends Error {
  override readonly name = 'CorpusFetchError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

async function read(file: RemoteFile, mirror: string | undefined): Promise<string> {
  if (mirror !== undefined) {
    const gitDir = join(mirror, file.repository.replace('/', '+'), 'repo');
    try {
      return execFileSync('git', ['--git-dir', gitDir, 'show', `${file.commit}:${file.path}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
    } catch (cause) {
      throw new CorpusFetchError(`${file.repository}@${file.commit}:${file.path} is not in ${gitDir}`, { cause });
    }
  }
  const url = `https://raw.githubusercontent.com/${file.repository}/${file.commit}/${file.path}`;
  const res = await fetch(url);
  if (!res.ok) throw new CorpusFetchError(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

async function records(doc: CorpusDocument, xml: string, mirror: string | undefined): Promise<object[]> {
  const data = doc.data;
  if ('generated' in data) return generateRecords(xml, seedOf(doc.id));
  // Transactional datasets (AssociationModel baskets) need collection inputs the harness does not read yet.
  if (data.format === 'transactions') return generateRecords(xml, seedOf(doc.id));
  return csvRecords(await read(data, mirror), MAX_ROWS);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const mirror = flag('--mirror');
  const only = flag('--only');
  const ci = args.includes('--ci');
  const out = join(corpusDir, ci ? 'ci' : '.cache');
  mkdirSync(out, { recursive: true });
  const docs = readManifest().documents.filter((d) => (!ci || d.ci) && (only === undefined || d.id.includes(only)));
  let fetched = 0, failed = 0;
  for (const doc of docs) {
    const pmmlPath = join(out, `${doc.id}.pmml`), inputPath = join(out, `${doc.id}.input.jsonl`);
    if (!ci && existsSync(pmmlPath) && existsSync(inputPath)) continue;
    try {
      const xml = await read(doc, mirror);
      const rows = await records(doc, xml, mirror);
      writeFileSync(pmmlPath, xml);
      writeFileSync(inputPath, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fetched++;
    } catch (err) {
      failed++;
      console.error(`${doc.id}: ${(err as Error).message}`);
    }
  }
  console.log(`${fetched} fetched, ${docs.length - fetched - failed} already cached, ${failed} failed, into ${out}`);
  if (failed > 0) process.exitCode = 1;
}

await main();
