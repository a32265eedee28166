// Exactly-once through ordinary rebalances: a second instance joins while the first is busy and
// takes half the tasks (the first commits them on revocation, the second's InitProducerId takes
// over their transactional ids), then leaves again. Read read_committed, the output holds one
// result per input; the stores of the instance left over count every input once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { KafkaStreams } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { waitFor } from './fixtures.ts';
import { createTopicsSafely } from './crash-scenario.ts';
import { lag, readCommitted } from './eos-scenario.ts';
import { EOS_STORE, eosCountTopology } from './fixtures/eos-child.ts';

const KEYS = 10, ROUNDS = 60, PARTITIONS = 4;

forEachBroker('test/runtime/eos-rebalance.test.ts', (test, brokers) => {
  test('an instance joining and leaving mid-stream under exactly_once_v2: one result per input, exact counts', async () => {
    const input = uniqueName('eos-rb-in'), output = uniqueName('eos-rb-out'), applicationId = uniqueName('eos-rb-app');
    const dirs = [mkdtempSync(join(tmpdir(), 'modelstream-eos-rb-a-')), mkdtempSync(join(tmpdir(), 'modelstream-eos-rb-b-'))];
    await createTopicsSafely(brokers(), [{ topic: input, numPartitions: PARTITIONS }, { topic: output, numPartitions: PARTITIONS }]);
    const instance = (stateDir: string) => new KafkaStreams(eosCountTopology(input, output, 'leveldb'), {
      applicationId, brokers: brokers(), stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000,
      processingGuarantee: 'exactly_once_v2', maxRecordsPerCommit: 5,
    });
    const a = instance(dirs[0]!), b = instance(dirs[1]!);
    // Idempotent: a retried Produce must not write an input twice (see scenario-inputs.ts).
    const producer = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await a.start();
      await producer.connect();
      let round = 0;
      const feeding = (async () => {
        for (; round < ROUNDS; round++) {
          await producer.send({ topic: input, acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `v${round}` })) });
          await new Promise((r) => setTimeout(r, 40));
        }
      })();
      await waitFor('a fifth of the input', () => round >= ROUNDS / 5, 30_000);
      await b.start();
      await waitFor('both instances to own tasks', () => a.metrics().tasks.length > 0 && b.metrics().tasks.length > 0 && a.state === 'RUNNING' && b.state === 'RUNNING', 60_000);
      await waitFor('two thirds of the input', () => round >= (2 * ROUNDS) / 3, 30_000);
      await b.close();
      await feeding;
      const read = () => [...Array(KEYS).keys()].map((k) => a.store<string, number>(EOS_STORE).get(`key-${k}`) ?? 0);
      await waitFor('every input committed, every task back on the first instance', async () => {
        if (a.state !== 'RUNNING' || a.metrics().tasks.length !== PARTITIONS || (await lag(brokers(), applicationId, input)) !== 0) return false;
        try { read(); return true; } catch { return false; }
      }, 90_000);
      const stored = read();
      await a.close();
      const out = await readCommitted(brokers(), output);
      const distinct = new Set(out.map(([k, v]) => `${k}=${v}`));
      assert.is(out.length - distinct.size, 0, 'results repeated');
      assert.is(distinct.size, KEYS * ROUNDS, 'one result per input');
      assert.equal(stored, Array(KEYS).fill(ROUNDS));
    } finally {
      await producer.disconnect().catch(() => {});
      await b.close();
      await a.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
