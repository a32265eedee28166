// Every bench script that reads a command line (flags or env vars) answers --help with its usage
// and exit code 0, through bench/cli.ts: all at once, one child process each.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scripts = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'cli.ts')
  .filter((f) => /parseArgs|process\.argv|process\.env|parseCli\(/.test(readFileSync(join(root, 'bench', f), 'utf8')));

test('the scripts found include the known ones (the filter still matches)', () => {
  for (const s of ['run.ts', 'broker-perf.ts', 'eos-crash-repeat.ts', 'pmml.ts', 'tensorflow.ts']) assert.ok(scripts.includes(s), s);
});

test('every bench script reading a command line parses it with parseCli (so --help cannot start a benchmark)', () => {
  const without = scripts.filter((f) => !readFileSync(join(root, 'bench', f), 'utf8').includes('parseCli('));
  assert.equal(without, []);
});

test('every bench script answers --help with a Usage line and exit code 0', async () => {
  const runs = await Promise.all(scripts.map((f) => new Promise<{ f: string; code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join('bench', f), '--help'], { cwd: root, timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ f, code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  })));
  const failed = runs.filter((r) => r.code !== 0 || !r.stdout.startsWith(`Usage: node --import tsx bench/${r.f} `));
  assert.equal(failed.map((r) => `${r.f}: exit ${r.code} ${r.stderr.slice(0, 300)}`), []);
});

test.run();
