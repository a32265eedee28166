// The Kafka 4.x Java producer's transactions (initTransactions, send, commit/abort) against
// the embedded broker; kafkajs read_committed / read_uncommitted consumers check the result.
// The broker logs every request's version: the Java client reads transaction.version 2 in
// ApiVersions and uses KIP-890 part 2 (Produce v13, by topic id, with no AddPartitionsToTxn, EndTxn v5,
// TxnOffsetCommit v5 with no AddOffsetsToTxn; ApiVersions v5, Metadata v13, InitProducerId
// v5; the consumer Fetch v18 by topic id, JoinGroup v9, OffsetFetch v9). A broker started
// with transactionVersion 1 keeps it on AddPartitionsToTxn v3, Produce v11 and EndTxn v4.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { brokerStateOf, startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { groupCoordinator } from '../../lib/broker/groups/service.ts';
import { transactionCoordinator } from '../../lib/broker/transactions/service.ts';
import { kafkaTools, needs } from '../requirements.ts';

const it = needs(kafkaTools);
const SOURCE = join(import.meta.dirname, 'fixtures', 'TxnProduce.java');
const CONSUME_PRODUCE = join(import.meta.dirname, 'fixtures', 'TxnConsumeProduce.java');
let broker: RunningBroker;
/** `Api vN` of every request, per client id. */
const requests = new Map<string, Set<string>>();

function logVersions(_level: string, message: string, extra?: unknown): void {
  const m = /^request (\w+ v\d+)$/.exec(message);
  if (!m) return;
  const clientId = String((extra as { clientId?: string | null }).clientId);
  if (!requests.has(clientId)) requests.set(clientId, new Set());
  requests.get(clientId)!.add(m[1]!);
}

test.before(async () => {
  broker = await startBroker({ port: 0, defaultPartitions: 1, logRequests: true, log: logVersions });
});
test.after(() => broker.stop());

function java(source: string, args: string[], on: RunningBroker = broker): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), ['-Xmx128m', '-cp', join(defaultLibsDir, '*'), source, on.brokers[0]!, ...args]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('close', (code) => { clearTimeout(timer); code === 0 ? resolve() : reject(new Error(`${source} exited ${code}: ${err.slice(-2000)}`)); });
  });
}

function txnProduce(topic: string, transactionalId: string, end: 'commit' | 'abort', values: string[], on = broker): Promise<void> {
  return java(SOURCE, [topic, transactionalId, end, ...values], on);
}

/** Versions the Java producer of `transactionalId` used (its client id is producer-<id>). */
function versionsOf(transactionalId: string): Set<string> {
  return requests.get(`producer-${transactionalId}`) ?? new Set();
}

async function read(topic: string, readUncommitted: boolean, count: number): Promise<string[]> {
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `java-txn-${readUncommitted}`, readUncommitted, maxWaitTimeInMs: 100 });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    const deadline = Date.now() + 20_000;
    while (seen.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

it('a Java transactional producer commits and aborts; read_committed sees only the committed records', async () => {
  await txnProduce('java-txn', 'java-txn-id', 'commit', ['c1', 'c2']);
  await txnProduce('java-txn', 'java-txn-id', 'abort', ['a1']);
  await txnProduce('java-txn', 'java-txn-id', 'commit', ['c3']);
  const log = brokerStateOf(broker).topics.get('java-txn')!.partitions[0]!;
  assert.is(log.nextOffset, 7, '4 records and 3 markers');
  assert.is(log.lastStableOffset, 7);
  assert.equal(await read('java-txn', false, 3), ['c1', 'c2', 'c3']);
  assert.equal(await read('java-txn', true, 4), ['c1', 'c2', 'a1', 'c3']);
  const used = versionsOf('java-txn-id');
  for (const v of ['ApiVersions v5', 'Metadata v13', 'InitProducerId v5', 'FindCoordinator v6', 'Produce v13', 'EndTxn v5']) {
    assert.ok(used.has(v), `the Java producer sent ${v}; it sent ${[...used].sort().join(', ')}`);
  }
  assert.not.ok([...used].some((v) => v.startsWith('AddPartitionsToTxn')), 'Produce v13 added the partitions itself');
});

it('under transaction.version 2 every transaction end bumps the producer epoch (EndTxn v5)', async () => {
  for (const end of ['commit', 'abort', 'commit'] as const) await txnProduce('java-txn-epochs', 'java-txn-epochs-id', end, ['x']);
  // Three producers, each: InitProducerId (0 for a new id, else +1) and one EndTxn (+1).
  assert.is(transactionCoordinator(brokerStateOf(broker)).describe('java-txn-epochs-id')?.producerEpoch, 5);
  assert.equal(await read('java-txn-epochs', false, 2), ['x', 'x']);
});

it('a Java consume-transform-produce loop commits its input offsets with the consumer group metadata (TxnOffsetCommit v5)', async () => {
  const producer = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: 'java-ctp-in', messages: ['a', 'b', 'c'].map((value) => ({ value })) });
  await producer.disconnect();
  await java(CONSUME_PRODUCE, ['java-ctp-in', 'java-ctp-out', 'java-ctp-group', 'java-ctp-id', '3']);
  assert.equal(await read('java-ctp-out', false, 3), ['A', 'B', 'C']);
  const state = brokerStateOf(broker);
  const out = state.topics.get('java-ctp-out')!.partitions[0]!;
  assert.is(out.lastStableOffset, out.nextOffset, 'no transaction left open');
  const committed = groupCoordinator(state).fetchOffsets('java-ctp-group', [{ topic: 'java-ctp-in', partition: 0 }]);
  assert.is(committed.partitions[0]!.offset, 3, 'the input offsets were committed by the transaction');
  const used = versionsOf('java-ctp-id');
  assert.ok(used.has('TxnOffsetCommit v5'), `TxnOffsetCommit v5 sent; the producer sent ${[...used].sort().join(', ')}`);
  assert.not.ok([...used].some((v) => v.startsWith('AddOffsetsToTxn')), 'TxnOffsetCommit v5 added the group itself');
  const consumer = [...requests].find(([id]) => id.startsWith('consumer-java-ctp-group'))?.[1] ?? new Set();
  assert.ok(consumer.has('Fetch v18') && consumer.has('Metadata v13') && consumer.has('JoinGroup v9') && consumer.has('OffsetFetch v9'), `the consumer sent ${[...consumer].sort().join(', ')}`);
});

it('a broker at transaction.version 1 keeps the Java producer on AddPartitionsToTxn v3, Produce v11 and EndTxn v4', async () => {
  const tv1 = await startBroker({ port: 0, defaultPartitions: 1, logRequests: true, transactionVersion: 1, log: logVersions });
  try {
    await txnProduce('java-txn-tv1', 'java-txn-tv1-id', 'commit', ['v1'], tv1);
    const used = versionsOf('java-txn-tv1-id');
    for (const v of ['AddPartitionsToTxn v3', 'Produce v11', 'EndTxn v4']) assert.ok(used.has(v), `sent ${v}; it sent ${[...used].sort().join(', ')}`);
    const log = brokerStateOf(tv1).topics.get('java-txn-tv1')!.partitions[0]!;
    assert.is(log.lastStableOffset, 2, 'the record and its commit marker');
  } finally {
    await tv1.stop();
  }
});

test.run();
