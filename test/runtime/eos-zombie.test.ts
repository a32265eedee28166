// Zombie fencing under exactly_once_v2: instance A (a child) stops itself (SIGSTOP) inside a
// transaction, records and offsets sent, before its EndTxn. Its session expires, instance B
// takes its tasks and processes every input. Then A is resumed and goes on to commit the
// transaction it holds, believing it still owns the task: the broker refuses it (B's
// InitProducerId bumped the epoch of the task's transactional id), and read_committed readers
// see each input's result exactly once, with stored counts equal to the inputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { KafkaStreams } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { waitFor } from './fixtures.ts';
import { createTopicsSafely } from './crash-scenario.ts';
import { lag, produceAll, readCommitted, startEosChild } from './eos-scenario.ts';
import { EOS_STORE, eosCountTopology } from './fixtures/eos-child.ts';

const KEYS = 10, PER_KEY = 30, PARTITIONS = 2;

forEachBroker('test/runtime/eos-zombie.test.ts', (test, brokers) => {
  test('a resumed zombie cannot commit the transaction it held: one result per input, exact counts', async () => {
    const input = uniqueName('zombie-in'), output = uniqueName('zombie-out'), applicationId = uniqueName('zombie-app');
    const dirA = mkdtempSync(join(tmpdir(), 'modelstream-zombie-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'modelstream-zombie-b-'));
    await createTopicsSafely(brokers(), [{ topic: input, numPartitions: PARTITIONS }, { topic: output, numPartitions: PARTITIONS }]);
    await produceAll(brokers(), input, KEYS, PER_KEY);
    const a = startEosChild({
      brokers: brokers(), input, output, applicationId, stateDir: dirA, store: 'leveldb', maxRecordsPerCommit: 10, sessionTimeoutMs: 2000,
      txn: { point: 'before-end-txn', commit: 2, action: 'stop' },
    });
    const lines: string[] = [];
    a.lines((l) => lines.push(l));
    const b = new KafkaStreams(eosCountTopology(input, output, 'leveldb'), {
      applicationId, brokers: brokers(), stateDir: dirB, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000,
      processingGuarantee: 'exactly_once_v2', maxRecordsPerCommit: 10,
    });
    try {
      await waitFor('A to stop inside its second transaction', () => lines.includes('STOPPING'), 45_000);
      await b.start();
      await waitFor('B to take every task and commit every input', async () =>
        b.state === 'RUNNING' && b.metrics().tasks.length === PARTITIONS && (await lag(brokers(), applicationId, input)) === 0, 45_000);
      a.process.kill('SIGCONT');
      await waitFor('A to try its EndTxn', () => lines.some((l) => l.startsWith('COMMIT-FAILED') || l === 'COMMITTED 2'), 30_000);
      assert.ok(!lines.includes('COMMITTED 2'), 'the zombie committed its transaction');
      console.log(`zombie's EndTxn: ${lines.find((l) => l.startsWith('COMMIT-FAILED'))}`);
      // The runtime names the fencing when the failed batch reaches the consumer (it then rejoins).
      await waitFor('A to report that it was fenced', () => lines.some((l) => /was fenced/.test(l)), 30_000);
      a.process.kill('SIGKILL');
      await a.exited;
      // A's membership ends with its session; B owns both tasks again and has nothing more to do.
      await waitFor('B to own every task again', () => b.state === 'RUNNING' && b.metrics().tasks.length === PARTITIONS, 45_000);
      const read = () => [...Array(KEYS).keys()].map((k) => b.store<string, number>(EOS_STORE).get(`key-${k}`) ?? 0);
      await waitFor('B\'s stores to be readable', () => { try { read(); return true; } catch { return false; } }, 30_000);
      const stored = read();
      await b.close();
      const out = await readCommitted(brokers(), output);
      const distinct = new Set(out.map(([k, v]) => `${k}=${v}`));
      assert.is(out.length, KEYS * PER_KEY, `results (${out.length - distinct.size} duplicated)`);
      assert.is(distinct.size, KEYS * PER_KEY);
      assert.equal(stored, Array(KEYS).fill(PER_KEY));
    } finally {
      a.process.kill('SIGKILL');
      await b.close();
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });
});
