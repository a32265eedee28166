// `modelstream serve` with a state dir that cannot work: one clear line and exit 1, quickly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBroker } from '../../../lib/broker/index.ts';
import { runCli } from './spawn.ts';

test('serve --state-dir /proc/x exits 1 within 5 s with one line naming the path, the fault and the fix', async () => {
  const broker = await startBroker({ port: 0 });
  try {
    const started = Date.now();
    const r = await runCli(['serve', '--state-dir', '/proc/x', '--brokers', broker.brokers[0]!, '--port', '0'], 15_000);
    const ms = Date.now() - started;
    assert.is(r.code, 1, `exit code (stderr: ${r.stderr})`);
    assert.ok(ms < 5000, `exited after ${ms} ms`);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, `one line on stderr:\n${r.stderr}`);
    assert.match(lines[0]!, /^modelstream serve: StateDirError: state directory '\/proc\/x' cannot be used: .*proc file system.*--state-dir/);
  } finally {
    await broker.stop();
  }
});

test.run();
