import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../lib/broker/index.ts';
import { countTopology, createTopics, newInstance, produceKeys, waitFor } from './fixtures.ts';

test('SIGTERM closes the application gracefully: offsets committed, the next instance does not reprocess', async () => {
  const broker = await startBroker({ port: 0 });
  const brokers = broker.brokers;
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-signal-'));
  await createTopics(brokers, [{ topic: 'sig-in', numPartitions: 2 }, { topic: 'sig-out', numPartitions: 2 }]);
  await produceKeys(brokers, 'sig-in', 10, 30);
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/count-app.ts', brokers[0]!, 'sig-in', 'sig-out', 'sig-app', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let next: ReturnType<typeof newInstance> | undefined;
  try {
    await waitFor('the child to process the records', () => /STATE RUNNING/.test(out), 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGTERM');
    const { signal } = await exited;
    assert.is(signal, 'SIGTERM', 'the process ends by the signal it got, after closing');
    assert.match(out, /STATE PENDING_SHUTDOWN/);
    assert.match(out, /STATE NOT_RUNNING processed=300/);

    next = newInstance(countTopology('sig-in', 'sig-out'), { applicationId: 'sig-app', brokers, stateDir });
    await next.start();
    await waitFor('the next instance to own both tasks', () => next!.state === 'RUNNING' && next!.metrics().tasks.length === 2);
    await produceKeys(brokers, 'sig-in', 10, 1);
    await waitFor('the 10 new records', () => next!.metrics().processed >= 10);
    assert.is(next.metrics().processed, 10, 'nothing before the SIGTERM was processed again');
    assert.is(next.store<string, number>('counts').get('key-4'), 31);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await next?.close();
    await broker.stop();
  }
});

test.run();
