// The skip-or-fail mechanism of test/requirements.ts, through test/run.ts's own counting: small
// test files (test/fixtures/requirements) run as children with the seed dir or Java taken away.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { availability, presentUnlessRequired, RequiredDependencyError, type Dependency } from './requirements.ts';
import { countsOf, type FileCounts } from './run-counts.ts';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'modelstream-requirements-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

interface ChildRun extends FileCounts { readonly code: number | null; readonly output: string }

/** Runs a fixture as test/run.ts runs a test file, in an environment without any MODELSTREAM_REQUIRE_*. */
function runFixture(name: string, env: { [key: string]: string | undefined }): Promise<ChildRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELSTREAM_REQUIRE_')));
  const childEnv: NodeJS.ProcessEnv = { ...base, NODE_DISABLE_COLORS: '1', FORCE_COLOR: '0', ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/requirements', name)], { cwd: root, env: childEnv });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, ...countsOf(output, code) }));
  });
}

const missingSeed = { MODELSTREAM_SEED_DATA: join(scratch, 'no-such-seed') };
const emptyPath = () => {
  const dir = join(scratch, 'empty-bin');
  mkdirSync(dir, { recursive: true });
  return dir;
};

test('without the seed, its test is skipped and counted, the other passes, and the file exits 0', async () => {
  const r = await runFixture('seed-and-plain.ts', missingSeed);
  assert.equal({ code: r.code, passed: r.passed, failed: r.failed, skipped: r.skipped }, { code: 0, passed: 1, failed: 0, skipped: 1 }, r.output);
  assert.match(r.output, `[skip] the seed data: ${missingSeed.MODELSTREAM_SEED_DATA}/ has no winequality_red.csv`);
});

test('a file whose every test needs the missing seed is all skipped, not failed', async () => {
  const r = await runFixture('seed-only.ts', missingSeed);
  assert.equal({ code: r.code, passed: r.passed, failed: r.failed, skipped: r.skipped }, { code: 0, passed: 0, failed: 0, skipped: 2 }, r.output);
});

test('with MODELSTREAM_REQUIRE_SEED=1 a missing seed fails its tests with a message naming it', async () => {
  const r = await runFixture('seed-and-plain.ts', { ...missingSeed, MODELSTREAM_REQUIRE_SEED: '1' });
  assert.equal({ code: r.code, passed: r.passed, failed: r.failed, skipped: r.skipped }, { code: 1, passed: 1, failed: 1, skipped: 0 }, r.output);
  assert.match(r.output, 'FAIL  "the seed CSV has rows"');
  assert.match(r.output, 'the seed data is required (MODELSTREAM_REQUIRE_SEED=1) but missing');
});

test('with a seed dir that holds the CSV, the seed tests run and pass', async () => {
  const dir = join(scratch, 'seed');
  mkdirSync(dir);
  writeFileSync(join(dir, 'winequality_red.csv'), '7.4;0.7;0;1.9;0.076;11;34;0.9978;3.51;0.56;9.4;5\n');
  const r = await runFixture('seed-only.ts', { MODELSTREAM_SEED_DATA: dir, MODELSTREAM_REQUIRE_SEED: '1' });
  assert.equal({ code: r.code, passed: r.passed, failed: r.failed, skipped: r.skipped }, { code: 0, passed: 2, failed: 0, skipped: 0 }, r.output);
});

test('with no java on PATH the JPMML test is skipped; with MODELSTREAM_REQUIRE_JAVA=1 it fails naming Java', async () => {
  const env = { PATH: emptyPath(), JAVA_HOME: undefined };
  const skipped = await runFixture('java.ts', env);
  assert.equal({ code: skipped.code, passed: skipped.passed, failed: skipped.failed, skipped: skipped.skipped }, { code: 0, passed: 0, failed: 0, skipped: 1 }, skipped.output);
  assert.match(skipped.output, '[skip] Java for JPMML-Evaluator: java is not installed');
  const required = await runFixture('java.ts', { ...env, MODELSTREAM_REQUIRE_JAVA: '1' });
  assert.equal({ code: required.code, failed: required.failed, skipped: required.skipped }, { code: 1, failed: 1, skipped: 0 }, required.output);
  assert.match(required.output, 'Java for JPMML-Evaluator is required (MODELSTREAM_REQUIRE_JAVA=1) but missing: java is not installed');
});

const gone = (requiredBy: string): Dependency => ({ name: `dep ${requiredBy}`, requiredBy: [requiredBy], missing: () => 'it is gone' });
const withEnv = <T>(vars: { [key: string]: string }, run: () => T): T => {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(before)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};

test('of several missing dependencies, one the run requires makes the test fail rather than skip', () => {
  const a = withEnv({ MODELSTREAM_TEST_REQ_B: '1' }, () => availability([gone('MODELSTREAM_TEST_REQ_A'), gone('MODELSTREAM_TEST_REQ_B')]));
  assert.equal(a.kind === 'required' && a.message, 'dep MODELSTREAM_TEST_REQ_B is required (MODELSTREAM_TEST_REQ_B=1) but missing: it is gone');
  assert.is(availability([gone('MODELSTREAM_TEST_REQ_A'), gone('MODELSTREAM_TEST_REQ_B')]).kind, 'skipped');
});

test('a fallback is taken for a missing dependency, and refused with a RequiredDependencyError when it is required', () => {
  assert.is(presentUnlessRequired(gone('MODELSTREAM_TEST_REQ_C'), 'using something else'), false);
  assert.throws(() => withEnv({ MODELSTREAM_TEST_REQ_C: '1' }, () => presentUnlessRequired(gone('MODELSTREAM_TEST_REQ_C'), 'x')),
    (e: unknown) => e instanceof RequiredDependencyError && /MODELSTREAM_TEST_REQ_C=1/.test((e as Error).message));
});

test('a file that printed no uvu summary (it crashed at load) counts as one failure', () => {
  assert.equal(countsOf('SyntaxError: Unexpected token\n', 1), { passed: 0, failed: 1, skipped: 0 });
});

test('uvu\'s summary gives failures as Total minus Passed, and Skipped apart', () => {
  const summary = '  Total:     5\n  Passed:    3\n  Skipped:   2\n  Duration:  1.00ms\n';
  assert.equal(countsOf(summary, 1), { passed: 3, failed: 2, skipped: 2 });
  assert.equal(countsOf('\x1b[32m  Total:     0\n  Passed:    0\x1b[39m\n  Skipped:   4\n', 0), { passed: 0, failed: 0, skipped: 4 });
});

test('a file whose tests all passed but which exited non-zero (a failing hook) counts as failed', () => {
  assert.equal(countsOf('  Total:     2\n  Passed:    2\n  Skipped:   0\n', 1), { passed: 2, failed: 1, skipped: 0 });
});

test.run();
