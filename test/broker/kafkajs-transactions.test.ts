// kafkajs 2.2.4's transactional producer and read_committed consumers against the embedded
// broker (the same scenarios run against real Kafka in test/kafka/kafkajs-transactions.test.ts).
import { test } from 'uvu';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { scenarios } from './kafkajs-transactions.scenarios.ts';

let broker: RunningBroker;
let kafka: Kafka;
let admin: Admin;
let n = 0;

test.before(async () => {
  broker = await startBroker({ port: 0, log: (level, message) => { if (level === 'error') console.error(level, message); } });
  kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING, clientId: 'txn-test' });
  admin = kafka.admin();
  await admin.connect();
});
test.after(async () => {
  await admin.disconnect();
  await broker.stop();
});

for (const [name, run] of Object.entries(scenarios)) {
  test(name, () => run({ kafka, admin, name: (prefix) => `${prefix}-${++n}` }));
}

test.run();
