// kafkajs 2.2.4's transactions against real Kafka 4.x: the scenarios the embedded broker
// passes (test/broker/kafkajs-transactions.scenarios.ts), proving Kafka accepts the versions
// kafkajs speaks for them. The versions used are printed at the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import type { RequestEvent } from 'kafkajs';
import { kafkaBrokers, needs, present, realKafka } from '../requirements.ts';
import { scenarios } from '../broker/kafkajs-transactions.scenarios.ts';
import { uniqueName } from './brokers.ts';

const it = needs(realKafka);
const kafka = new kafkajs.Kafka({ brokers: kafkaBrokers(), clientId: 'modelstream-txn', logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
const versionsUsed = new Map<string, Set<number>>();
const onRequest = (e: RequestEvent) => {
  const set = versionsUsed.get(e.payload.apiName) ?? new Set<number>();
  set.add(e.payload.apiVersion);
  versionsUsed.set(e.payload.apiName, set);
};
const TXN_APIS = ['InitProducerId', 'AddPartitionsToTxn', 'AddOffsetsToTxn', 'TxnOffsetCommit', 'EndTxn', 'Produce', 'Fetch', 'ListOffsets'];

if (present(realKafka)) {
  test.before(() => admin.connect());
  test.after(async () => {
    await admin.disconnect();
    const table = TXN_APIS.map((api) => `${api} v${[...(versionsUsed.get(api) ?? [])].join('/')}`);
    console.log(`API versions kafkajs used for transactions: ${table.join(', ')}`);
  });
}

for (const [name, run] of Object.entries(scenarios)) {
  it(name, () => run({ kafka, admin, name: uniqueName, onRequest }));
}

it('kafkajs used every transaction API', () => {
  for (const api of ['InitProducerId', 'AddPartitionsToTxn', 'AddOffsetsToTxn', 'TxnOffsetCommit', 'EndTxn']) {
    assert.ok(versionsUsed.has(api), `${api} was used`);
  }
});

test.run();
