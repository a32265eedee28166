// scripts/kafka: a broker of its own (not the shared one from test/services.ts), started and
// stopped through the programmatic API, and idempotent provisioning.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { provisionKafka, startKafka } from '../../scripts/kafka/kafka.ts';
import { kafkaInstall, needs } from '../requirements.ts';

function refused(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const it = needs(kafkaInstall);

it('startKafka serves on 127.0.0.1, and stop() ends the broker, frees its port and removes its dir', async () => {
  const kafka = await startKafka({ log: () => {} });
  const broker = kafka.brokers[0] ?? '';
  assert.match(broker, /^127\.0\.0\.1:\d+$/);
  const admin = new kafkajs.Kafka({ brokers: kafka.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  assert.instance(await admin.listTopics(), Array);
  await admin.disconnect();
  await kafka.stop();
  assert.is(alive(kafka.pid), false);
  assert.is(await refused(broker), true);
  assert.is(existsSync(kafka.dataDir), false);
});

it('provisioning again with the jars in place fetches nothing', async () => {
  const result = await provisionKafka({ log: () => {} });
  assert.is(result.kind, 'already-present');
});

test.run();
