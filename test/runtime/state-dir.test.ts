// Start-up checks of the state directory: each bad one rejects start() with a StateDirError
// within seconds, before anything connects (the brokers here are a closed port).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaStreams, StateDirError } from '../../lib/index.ts';
import { checkStateDir } from '../../lib/runtime/state-dir.ts';
import { countTopology } from './fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'modelstream-statedir-'));

/** start() over `stateDir`: the error it rejects with and how long it took. */
async function startWith(stateDir: string): Promise<{ error: unknown; ms: number; state: string }> {
  const streams = new KafkaStreams(countTopology('sd-in', 'sd-out'), {
    applicationId: 'state-dir-app', brokers: ['127.0.0.1:1'], stateDir, logLevel: 'nothing', closeOnSignals: false,
  });
  const started = Date.now();
  let error: unknown;
  try { await streams.start(); } catch (e) { error = e; }
  const result = { error, ms: Date.now() - started, state: streams.state };
  await streams.close();
  return result;
}

function assertRefused(r: { error: unknown; ms: number; state: string }, path: string, problem: RegExp): void {
  assert.instance(r.error, StateDirError, `a StateDirError, got ${String(r.error)}`);
  const e = r.error as StateDirError;
  assert.is(e.path, path);
  assert.ok(e.message.includes(`'${path}'`), e.message);
  assert.match(e.message, problem);
  assert.match(e.message, /set stateDir/, 'says how to fix it');
  assert.not.match(e.message, /\n/, 'one line');
  assert.ok(r.ms < 5000, `rejected in ${r.ms} ms`);
  assert.is(r.state, 'CREATED', 'nothing started');
}

test('a state dir under /proc is refused at once (a recursive mkdir there would never end)', async () => {
  assertRefused(await startWith('/proc/x'), '/proc/x', /'\/proc' is on a proc file system/);
  assertRefused(await startWith('/proc/x/y/z'), '/proc/x/y/z', /proc file system/);
});

test('a state dir under /sys (read-only sysfs) is refused', async () => {
  assertRefused(await startWith('/sys/modelstream'), '/sys/modelstream', /sysfs file system/);
});

test('a state dir that is a file is refused, and so is one below a file', async () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a directory');
  assertRefused(await startWith(file), file, /it is a file, not a directory/);
  assertRefused(await startWith(join(file, 'sub')), join(file, 'sub'), /a-file' is a file, not a directory/);
});

// Root ignores mode bits, so a read-only mount is the only honest read-only directory here.
const readOnly = join(scratch, 'read-only');
mkdirSync(readOnly);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]).status === 0;
if (mounted) {
  test('a state dir on a read-only mount is refused as not writable, and one to be created there as not creatable', async () => {
    assertRefused(await startWith(readOnly), readOnly, /not writable \(EROFS/);
    assertRefused(await startWith(join(readOnly, 'app')), join(readOnly, 'app'), /cannot be created \(EROFS/);
  });
} else {
  console.log('[skip] state-dir: `mount -t tmpfs -o ro` is not permitted here; the read-only mount case is not run');
}

test('a missing state dir is created (nested), and the writability probe leaves nothing behind', () => {
  const dir = join(scratch, 'new', 'nested', 'state');
  checkStateDir(dir);
  assert.ok(statSync(dir).isDirectory());
  assert.equal(readdirSync(dir), []);
});

test.after(() => {
  if (mounted) spawnSync('umount', [readOnly]);
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
});

test.run();
