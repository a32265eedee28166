import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics, produceKeys, waitFor } from './fixtures.ts';
import { threaded } from './fixtures/threaded.ts';

const KEYS = 50;
const PER_KEY = 60; // 3,000 records

/** Runs the threaded child until it has processed `killAt` records, then kills it with SIGKILL. */
function runUntilKilled(args: object, killAt: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/threads-child.ts', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let processed = 0;
  child.stderr.on('data', (d) => (output += d));
  child.stdout.on('data', (d: Buffer) => {
    output += d;
    for (const m of d.toString().matchAll(/^P (\d+)$/gm)) processed = Number(m[1]);
    if (processed >= killAt) child.kill('SIGKILL');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve, reject) => child.on('exit', (_code, signal) => {
    clearTimeout(timer);
    if (signal === 'SIGKILL' && processed >= killAt) resolve(processed);
    else reject(new Error(`the child ended (${signal}) after ${processed} records, before the kill: ${output.slice(-2000)}`));
  }));
}

forEachBroker('test/runtime/threads-crash.test.ts', (test, brokerList) => {
  test('after a kill -9 of a four-thread instance, its restart on two threads counts each record exactly once, each task on one thread', async () => {
    const brokers = brokerList();
    const input = uniqueName('thrk-in'), output = uniqueName('thrk-out'), applicationId = uniqueName('thrk-app');
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-threads-kill-'));
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    await produceKeys(brokers, input, KEYS, PER_KEY);
    const killedAfter = await runUntilKilled({ brokers, input, output, applicationId, stateDir, threads: 4 }, 1000);
    assert.ok(killedAfter < KEYS * PER_KEY, `killed mid-way (after ${killedAfter})`);

    // The restart: same application, same state directory, in this process; tasks of threads 2
    // and 3 land on threads whose directories never held them, and restore from their changelogs.
    const streams = threaded({ input, output }, { applicationId, brokers, stateDir, numStreamThreads: 2 });
    try {
      await streams.start();
      // The killed instance's members can still be in the group (a JoinGroup in flight at the kill)
      // until their sessions end: read once all 4 tasks are on the two threads, not mid-move.
      const settled = () => streams.state === 'RUNNING' && streams.threads().flatMap((t) => t.tasks).length === 4;
      await waitFor('every record counted, all tasks on the two threads', async () => settled()
        && (await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0) >= KEYS * PER_KEY, 50_000);
      for (let k = 0; k < KEYS; k++) {
        const key = `key-${k}`;
        assert.is(await streams.queryStore<string, number, { kind: 'get'; key: string }>('counts', { kind: 'get', key }), PER_KEY, key);
      }
      assert.is((await streams.queryThreads<number>('total')).reduce((a, b) => a + b, 0), KEYS * PER_KEY);
      assert.is(streams.threads().length, 2);
      const tasks = streams.threads().flatMap((t) => t.tasks);
      assert.equal(tasks.sort(), ['0_0', '0_1', '0_2', '0_3'], `each task on one thread: ${JSON.stringify(streams.threads())}`);
    } finally {
      await streams.close();
    }
  });
});
