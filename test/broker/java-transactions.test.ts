// The Kafka 4.x Java producer's transactions (initTransactions, send, commit/abort) against
// the embedded broker; kafkajs read_committed / read_uncommitted consumers check the result.
// The Java client negotiates InitProducerId v1, AddPartitionsToTxn v2 and EndTxn v2 here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { brokerStateOf, startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { kafkaTools, needs } from '../requirements.ts';

const it = needs(kafkaTools);
const SOURCE = join(import.meta.dirname, 'fixtures', 'TxnProduce.java');
let broker: RunningBroker;

test.before(async () => { broker = await startBroker({ port: 0, defaultPartitions: 1 }); });
test.after(() => broker.stop());

function txnProduce(topic: string, transactionalId: string, end: 'commit' | 'abort', values: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), ['-Xmx128m', '-cp', join(defaultLibsDir, '*'), SOURCE, broker.brokers[0]!, topic, transactionalId, end, ...values]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('close', (code) => { clearTimeout(timer); code === 0 ? resolve() : reject(new Error(`TxnProduce exited ${code}: ${err.slice(-2000)}`)); });
  });
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
});

test.run();
