// Runs every *.test.ts under test/ (or those whose path contains an argument) in its own
// process, two at a time, and ends with the line "N passed, N failed, N skipped" (a test is
// skipped when a dependency from outside the repo is missing: see test/requirements.ts).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { countsOf } from './run-counts.ts';
import { startServices, type Services } from './services.ts';

const root = new URL('..', import.meta.url).pathname;
const FILE_TIMEOUT_MS = Number(process.env.MODELSTREAM_TEST_TIMEOUT_MS ?? 300_000);
const CONCURRENCY = Number(process.env.MODELSTREAM_TEST_CONCURRENCY ?? 2);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'target') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

interface FileResult { file: string; passed: number; failed: number; skipped: number; ms: number; output: string }

function runFile(file: string, env: NodeJS.ProcessEnv): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...env, NODE_DISABLE_COLORS: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run] killed after ${FILE_TIMEOUT_MS} ms\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
      const { passed, failed, skipped } = countsOf(clean, code);
      resolve({ file: relative(root, file), passed, failed, skipped, ms: Date.now() - started, output: clean });
    });
  });
}

// Files that start JVMs, brokers or child processes take 30-120 s; the rest take seconds.
// Starting the slow ones first keeps the two workers busy to the end (longest first).
const SLOW = /java|\.kafka\.|test\/(runtime|integration|kafka)\/|threads|oracle|layout\/package|dashboard/;

const filters = process.argv.slice(2);
const files = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))
  .sort((a, b) => Number(SLOW.test(relative(root, b))) - Number(SLOW.test(relative(root, a))));
let services: Services | undefined;
let passed = 0, failed = 0, skipped = 0;
try {
  services = await startServices(files.map((f) => relative(root, f)));
  const env = { ...process.env, ...services.env };
  const queue = [...files];
  const workers = Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const r = await runFile(file, env);
      passed += r.passed; failed += r.failed; skipped += r.skipped;
      const status = r.failed ? 'FAIL' : r.passed === 0 && r.skipped > 0 ? 'skip' : 'ok  ';
      console.log(`${status} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.ms} ms)`);
      if (r.failed || process.env.MODELSTREAM_TEST_VERBOSE) console.log(r.output.replace(/^/gm, '    | '));
    }
  });
  await Promise.all(workers);
} catch (err) {
  console.error('[run] could not run the tests:', err);
  failed += 1;
} finally {
  await services?.stop();
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
