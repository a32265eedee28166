// A transaction that outlives its timeout is aborted by the broker, which bumps the producer's
// epoch: to kafkajs that looks like fencing. The instance (a child) stops itself inside a
// transaction for longer than transactionTimeoutMs but shorter than its session, so it still
// owns its tasks when it resumes: its EndTxn is refused, the task closes dirty, and since its
// heartbeats go on succeeding (no rebalance) it opens the task again and finishes the input.
// Needs a broker whose expiry check runs often: the embedded one (Kafka checks every 10 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBroker } from '../../lib/broker/index.ts';
import { waitFor } from './fixtures.ts';
import { createTopicsSafely } from './crash-scenario.ts';
import { lag, produceAll, readCommitted, startEosChild } from './eos-scenario.ts';

const KEYS = 10, PER_KEY = 30;

test('a transaction the broker aborted on timeout is rolled back and the same instance carries on: one result per input', async () => {
  const broker = await startBroker({ port: 0, transactionCheckIntervalMs: 200 });
  const { brokers } = broker;
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-eos-timeout-'));
  await createTopicsSafely(brokers, [{ topic: 'to-in', numPartitions: 2 }, { topic: 'to-out', numPartitions: 2 }]);
  await produceAll(brokers, 'to-in', KEYS, PER_KEY);
  const child = startEosChild({
    brokers, input: 'to-in', output: 'to-out', applicationId: 'to-app', stateDir, store: 'leveldb', maxRecordsPerCommit: 10,
    sessionTimeoutMs: 8000, transactionTimeoutMs: 1000, txn: { point: 'before-end-txn', commit: 2, action: 'stop' },
  });
  const lines: string[] = [];
  child.lines((l) => lines.push(l));
  try {
    await waitFor('the child to stop inside its second transaction', () => lines.includes('STOPPING'), 45_000);
    await new Promise((r) => setTimeout(r, 2500));
    child.process.kill('SIGCONT');
    await waitFor('its EndTxn to be refused', () => lines.some((l) => l.startsWith('COMMIT-FAILED')), 30_000);
    await waitFor('the child to commit every input', async () => (await lag(brokers, 'to-app', 'to-in')) === 0, 60_000);
    const fenced = lines.findIndex((l) => /was fenced/.test(l));
    assert.ok(fenced >= 0, 'the refusal was seen as fencing');
    assert.ok(lines.slice(fenced).some((l) => l.startsWith('COMMITTED ')), 'the same instance committed again after it');
    child.process.kill('SIGKILL');
    await child.exited;
    const out = await readCommitted(brokers, 'to-out');
    const distinct = new Set(out.map(([k, v]) => `${k}=${v}`));
    assert.is(out.length, KEYS * PER_KEY, `results (${out.length - distinct.size} repeated)`);
    assert.is(distinct.size, KEYS * PER_KEY, 'one result per input');
  } finally {
    child.process.kill('SIGKILL');
    await broker.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
