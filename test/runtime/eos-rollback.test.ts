// A transaction cut by a broker restart rolls the task back, in the running process: the
// embedded broker (the one this test can stop and start again on the same port and data
// directory) stops while the exactly-once app is committing, and on restart aborts the
// transactions it had open. The app's commits in flight fail, their tasks close dirty and are
// rebuilt from the changelog (an in-memory store: nothing local survives), their input is
// processed again. Read read_committed, the output has one result per input, counts are exact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { KafkaStreams, type StreamsState } from '../../lib/index.ts';
import { startBroker } from '../../lib/broker/index.ts';
import { waitFor } from './fixtures.ts';
import { createTopicsSafely } from './crash-scenario.ts';
import { lag, readCommitted } from './eos-scenario.ts';
import { EOS_STORE, eosCountTopology } from './fixtures/eos-child.ts';

const KEYS = 10, ROUNDS = 60;

test('transactions cut by a broker restart are rolled back: one result per input, exact counts, no ERROR', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'modelstream-eos-rollback-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-eos-rollback-state-'));
  let broker = await startBroker({ port: 0, dataDir });
  const { port, brokers } = broker;
  await createTopicsSafely(brokers, [{ topic: 'rb-in', numPartitions: 2 }, { topic: 'rb-out', numPartitions: 2 }]);
  const app = new KafkaStreams(eosCountTopology('rb-in', 'rb-out', 'memory'), {
    applicationId: 'rb-app', brokers, stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000,
    processingGuarantee: 'exactly_once_v2', maxRecordsPerCommit: 5,
  });
  const states: StreamsState[] = [];
  app.onStateChange((next) => states.push(next));
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 1000 } }).producer();
  try {
    await app.start();
    await producer.connect();
    // Fed a round at a time, so that commits are in flight whenever the broker goes.
    let round = 0;
    const feeding = (async () => {
      for (; round < ROUNDS; round++) {
        await producer.send({ topic: 'rb-in', acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `v${round}` })) });
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await waitFor('a third of the input', () => round >= ROUNDS / 3 && app.metrics().processed > 0, 30_000);
    await broker.stop();
    await new Promise((r) => setTimeout(r, 2000));
    broker = await startBroker({ port, dataDir });
    await feeding;
    const read = () => [...Array(KEYS).keys()].map((k) => app.store<string, number>(EOS_STORE).get(`key-${k}`) ?? 0);
    await waitFor('every input committed, the stores open', async () => {
      if (app.state !== 'RUNNING' || (await lag(brokers, 'rb-app', 'rb-in')) !== 0) return false;
      try { read(); return true; } catch { return false; }
    }, 90_000);
    const stored = read();
    await app.close();
    const out = await readCommitted(brokers, 'rb-out');
    const distinct = new Set(out.map(([k, v]) => `${k}=${v}`));
    assert.is(out.length - distinct.size, 0, 'results repeated');
    assert.is(distinct.size, KEYS * ROUNDS, 'one result per input');
    assert.equal(stored, Array(KEYS).fill(ROUNDS), 'every key counted once per input');
    assert.not.ok(states.includes('ERROR'), `states: ${states.join(' → ')}`);
    console.log(`rolled back and rebuilt: ${app.metrics().restoredRecords} changelog records restored; states ${states.join(' → ')}`);
  } finally {
    await producer.disconnect().catch(() => {});
    await app.close();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
