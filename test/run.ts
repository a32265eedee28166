// Runs every *.test.ts under test/ (or those whose path contains an argument) in its own
// process, two at a time, and ends with the line "N passed, N failed, N skipped" (a test is
// skipped when a dependency from outside the repo is missing: see test/requirements.ts).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runFile, type FileResult } from './run-file.ts';
import { startServices, type Services } from './services.ts';

const root = new URL('..', import.meta.url).pathname;
const CONCURRENCY = Number(process.env.MODELSTREAM_TEST_CONCURRENCY ?? 2);
const limits = {
  timeoutMs: Number(process.env.MODELSTREAM_TEST_TIMEOUT_MS ?? 300_000),
  exitGraceMs: Number(process.env.MODELSTREAM_TEST_EXIT_GRACE_MS ?? 20_000),
};

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

// Files that start JVMs, brokers or child processes take 30-120 s; the rest take seconds.
// Starting the slow ones first keeps the two workers busy to the end (longest first).
const SLOW = /java|\.kafka\.|test\/(runtime|integration|kafka)\/|threads|oracle|layout\/package|dashboard/;

const filters = process.argv.slice(2);
const files = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))
  .sort((a, b) => Number(SLOW.test(relative(root, b))) - Number(SLOW.test(relative(root, a))));
let services: Services | undefined;
let passed = 0, failed = 0, skipped = 0;
const hung: FileResult[] = [];
try {
  services = await startServices(files.map((f) => relative(root, f)));
  const env = { ...process.env, ...services.env };
  const queue = [...files];
  const workers = Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const r = await runFile(file, { root, env, ...limits });
      passed += r.passed; failed += r.failed; skipped += r.skipped;
      const status = r.failed ? 'FAIL' : r.passed === 0 && r.skipped > 0 ? 'skip' : 'ok  ';
      console.log(`${status} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.ms} ms)`);
      if (r.failed || process.env.MODELSTREAM_TEST_VERBOSE) console.log(r.output.replace(/^/gm, '    | '));
      else if (r.hung) console.log(r.output.split('\n').filter((l) => /\[run\]|\[exit-diagnostics\]/.test(l)).join('\n').replace(/^/gm, '    | '));
      if (r.hung) hung.push(r);
    }
  });
  await Promise.all(workers);
} catch (err) {
  console.error('[run] could not run the tests:', err);
  failed += 1;
} finally {
  await services?.stop();
}
if (hung.length > 0) console.log(`\n[run] ${hung.length} file(s) did not exit by themselves after their tests (their handles are listed above): ${hung.map((r) => r.file).join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
