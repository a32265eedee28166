// bench/cli.ts, through a small script run as a child process: --help lists every flag with its
// default and exits 0; a mistake is one line naming the flag, "see --help", and exit code 2.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCliArgs, usageText, UsageError } from '../../bench/cli.ts';
import { demoSpec } from './fixtures/cli-demo-spec.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = 'test/bench/fixtures/cli-demo.ts';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }
function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', demo, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

test('--help prints the usage, every flag and env var with its default, an example, and exits 0', async () => {
  const r = await run(['--help']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: node --import tsx test\/bench\/fixtures\/cli-demo\.ts \[flags\] \[passes\]\n/);
  assert.match(r.stdout, /--quick +a small run\n/);
  assert.match(r.stdout, /--records N +records to send \(default: 40000; 10000 with --quick\)\n/);
  assert.match(r.stdout, /--broker kafka\|embedded +which broker \(default: kafka\)\n/);
  assert.match(r.stdout, /-h, --help +print this help and exit\n/);
  assert.match(r.stdout, /passes +passes \(default: 5\)\n/);
  assert.match(r.stdout, /DEMO_ROUNDS +rounds \(default: 3\)\n/);
  assert.match(r.stdout, /Example:\n {2}node --import tsx test\/bench\/fixtures\/cli-demo\.ts --quick 2\n/);
});

test('valid flags parse as the strings given, defaults applied, positionals kept', async () => {
  const r = await run(['--records', '500', '--quick', '7']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { values: { records: '500', quick: true, broker: 'kafka' }, positionals: ['7'] });
});

test('an unknown flag: one line naming it and "see --help" on stderr, nothing on stdout, exit code 2', async () => {
  const r = await run(['--records', '5', '--bogus']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.is(r.stderr, `${demo}: unknown flag --bogus; see --help\n`);
});

// The other mistakes in-process: each is a UsageError whose message names the flag.
const mistakes: [string, readonly string[], string, string?][] = [
  ['a value that is not a number', ['--records', 'lots'], '--records must be a whole number, got "lots"'],
  ['a missing value', ['--records'], '--records needs a value (N)'],
  ['a value outside the choices', ['--broker', 'zookeeper'], '--broker must be one of kafka, embedded, got "zookeeper"'],
  ['a value given to a boolean', ['--quick=yes'], '--quick takes no value, got "yes"'],
  ['one positional too many', ['1', '2'], 'unexpected argument "2"'],
  ['a bad positional', ['x'], 'passes must be a whole number, got "x"'],
  ['a bad env var', [], 'DEMO_ROUNDS must be a whole number, got "many"', 'many'],
];
for (const [what, args, message, rounds] of mistakes) {
  test(`${what} is refused with: ${message}`, () => {
    if (rounds !== undefined) process.env.DEMO_ROUNDS = rounds;
    try {
      assert.throws(() => parseCliArgs({ ...demoSpec, args }), (e: unknown) => e instanceof UsageError && e.message === message);
    } finally {
      delete process.env.DEMO_ROUNDS;
    }
  });
}

test('the usage text has a row for every option of the spec, so text and parser share one table', () => {
  const text = usageText(demoSpec);
  for (const name of Object.keys(demoSpec.options)) assert.match(text, new RegExp(`\\n {2}--${name}\\b`));
});

test.run();
