// A broker restart (same --data-dir) in the middle of a kafkajs transaction: the transaction is
// aborted at start-up, before any client is served, so it is never half visible, and the
// producer that started it is fenced.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { brokerStateOf, startBroker } from '../../../lib/broker/server.ts';
import { transactionCoordinator } from '../../../lib/broker/transactions/service.ts';

const dir = mkdtempSync(join(tmpdir(), 'txn-restart-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a transaction open when the broker stops is aborted when it starts again', async () => {
  const first = await startBroker({ port: 0, dataDir: dir });
  const kafka = new Kafka({ brokers: first.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: 'restart-tx', idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const txn = await producer.transaction();
  await txn.send({ topic: 'restart', messages: [{ value: 'in-flight-1' }, { value: 'in-flight-2' }] });
  const before = brokerStateOf(first).topics.get('restart')!.partitions[0]!;
  assert.is(before.lastStableOffset, 0);
  await producer.disconnect();
  await first.stop();

  const second = await startBroker({ port: 0, dataDir: dir });
  try {
    const state = brokerStateOf(second);
    const log = state.topics.get('restart')!.partitions[0]!;
    assert.is(log.nextOffset, 3, 'two records and an abort marker');
    assert.is(log.lastStableOffset, 3);
    assert.equal(log.txns.abortedIn(0, 3).map((a) => a.firstOffset), [0]);
    const meta = transactionCoordinator(state).describe('restart-tx');
    assert.is(meta?.state, 'CompleteAbort');
    assert.is(meta?.producerEpoch, 1, 'the old producer is fenced');
  } finally {
    await second.stop();
  }
});

test.run();
