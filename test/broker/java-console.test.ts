// Apache Kafka's own Java console producer and consumer (kafka-tools, from the jars that
// scripts/kafka provisions) against the embedded broker. The consumer joins a classic
// group, so this also exercises the group coordinator end to end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { kafkaTools, needs } from '../requirements.ts';

const it = needs(kafkaTools);
let broker: RunningBroker;

test.before(async () => { broker = await startBroker({ port: 0 }); });
test.after(() => broker.stop());

function java(mainClass: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), ['-Xmx128m', '-cp', join(defaultLibsDir, '*'), mainClass, '--bootstrap-server', broker.brokers[0]!, ...args]);
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('close', (code) => { clearTimeout(timer); code === 0 ? resolve(out) : reject(new Error(`${mainClass} exited ${code}: ${err.slice(-2000)}`)); });
    child.stdin.end(input);
  });
}

it('kafka-console-producer writes and kafka-console-consumer (in a group) reads back', async () => {
  await java('org.apache.kafka.tools.ConsoleProducer', ['--topic', 'java-console'], 'hello\nworld\n');
  const out = await java('org.apache.kafka.tools.consumer.ConsoleConsumer',
    ['--topic', 'java-console', '--from-beginning', '--max-messages', '2', '--group', 'java-console-group']);
  assert.equal(out.trim().split('\n'), ['hello', 'world']);
});

test.run();
