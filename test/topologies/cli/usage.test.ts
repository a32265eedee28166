// The command line's help and its errors, through the CLI in a child process (test/topologies/cli/spawn.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './spawn.ts';

const COMMANDS = ['serve', 'provide', 'read', 'broker', 'demo'];

test('--help lists every command and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^Usage: modelstream <command>/);
  for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'), `lists ${c}`);
});

test('no command prints the usage and exits 2', async () => {
  const r = await runCli([]);
  assert.is(r.code, 2);
  assert.match(r.stdout, /Usage: modelstream <command>/);
});

for (const command of COMMANDS) {
  test(`${command} --help shows its own usage and exits 0`, async () => {
    const r = await runCli([command, '--help']);
    assert.is(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Usage: modelstream ${command}`));
    assert.match(r.stdout, /--help/);
    // The commands that talk to a given Kafka document --brokers and its environment default.
    if (['serve', 'provide', 'read'].includes(command)) assert.match(r.stdout, /--brokers LIST .*KAFKA_BROKERS/);
  });
}

test('an unknown command is named on stderr with the usage, exit 2', async () => {
  const r = await runCli(['frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /Usage: modelstream <command>/);
  assert.is(r.stdout, '');
});

test('an unknown flag is named with the command\'s usage, exit 2', async () => {
  const r = await runCli(['serve', '--topolgy', 'kv']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /modelstream serve: .*'--topolgy'/);
  assert.match(r.stderr, /Usage: modelstream serve/);
});

test('a bad --topology names the choices and the tutorial aliases, exit 2', async () => {
  const r = await runCli(['serve', '--topology', 'graph']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--topology must be naive\|kv\|custom \(aliases m\/memory, s\/standard, c\/custom\), got 'graph'/);
  assert.match(r.stderr, /Usage: modelstream serve/);
});

test('a bad --guarantee names the two guarantees, exit 2, for serve and demo', async () => {
  for (const command of ['serve', 'demo']) {
    const r = await runCli([command, '--guarantee', 'exactly_once']);
    assert.is(r.code, 2);
    assert.match(r.stderr, /--guarantee must be at_least_once or exactly_once_v2, got 'exactly_once'/);
  }
});

test('a bad number is named with the flag, exit 2', async () => {
  const port = await runCli(['demo', '--port', '99999']);
  assert.is(port.code, 2);
  assert.match(port.stderr, /--port must be an integer from 0 to 65535, got '99999'/);
  const rate = await runCli(['provide', '--rate', '0']);
  assert.is(rate.code, 2);
  assert.match(rate.stderr, /--rate must be a number greater than 0, got '0'/);
});

test('a positional argument where none is expected is an error, exit 2', async () => {
  const r = await runCli(['read', 'models_results']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /models_results/);
  assert.match(r.stderr, /Usage: modelstream read/);
});

test('broker\'s own usage errors exit 2 as well', async () => {
  const r = await runCli(['broker', '--port', 'x']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--port must be an integer/);
});

test('a missing data directory is a usage error naming it', async () => {
  const r = await runCli(['provide', '--data', '/nonexistent/modelstream-data']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--data: \/nonexistent\/modelstream-data does not exist/);
});

test('--brokers that is not host:port is refused before connecting, exit 2', async () => {
  const r = await runCli(['read', '--brokers', 'localhost']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--brokers must be host:port/);
});

test('a broker that cannot be reached is a failure (exit 1) that says how to start one', async () => {
  const r = await runCli(['read', '--brokers', '127.0.0.1:1'], 60_000);
  assert.is(r.code, 1);
  assert.match(r.stderr, /ECONNREFUSED 127\.0\.0\.1:1/);
  assert.match(r.stderr, /modelstream broker/);
});

test.run();
