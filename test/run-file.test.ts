// test/run-file.ts on small fixture files (test/fixtures/run): a file that has printed its summary
// but does not exit is killed after the grace, names what it held, and keeps its tests' outcome.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runFile } from './run-file.ts';

const root = new URL('..', import.meta.url).pathname;
const limits = { root, env: process.env, timeoutMs: 60_000, exitGraceMs: 1000 };
const fixture = (name: string) => join(root, 'test/fixtures/run', name);

test('a passing file that leaks a server is killed after the grace and still counts as passed', async () => {
  const r = await runFile(fixture('leaks-a-server.ts'), limits);
  assert.equal({ hung: r.hung, passed: r.passed, failed: r.failed }, { hung: true, passed: 1, failed: 0 }, r.output);
  assert.match(r.output, /\[exit-diagnostics\]\s+Server listening on 127\.0\.0\.1:\d+/);
});

test('a failing file that never exits still counts its failure', async () => {
  const r = await runFile(fixture('fails-and-leaks.ts'), limits);
  assert.equal({ hung: r.hung, passed: r.passed, failed: r.failed }, { hung: true, passed: 0, failed: 1 }, r.output);
  assert.match(r.output, /resources still alive: .*Timeout/);
  assert.match(r.output, /\[exit-diagnostics\]\s+Timeout 1000 ms: \(\)\s*=>\s*\{\s*\}/, 'the timer named with its callback');
});

test('a file that exits by itself is not reported as hung', async () => {
  const r = await runFile(join(root, 'test/fixtures/requirements/seed-and-plain.ts'), limits);
  assert.is(r.hung, false, r.output);
  assert.not.match(r.output, '[run] still running');
});

test.run();
