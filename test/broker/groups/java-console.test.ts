// Apache Kafka's own Java console producer and consumer (4.x classes from the jars that
// scripts/kafka provisions into .kafka/libs) against the embedded broker, with the classic group
// protocol (the 4.x default) at the newest versions both sides have. group.instance.id
// (KIP-345) works too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { defaultLibsDir as libs, javaCommand } from '../../../scripts/kafka/provision.ts';
import { kafkaTools, needs } from '../../requirements.ts';
import { run } from './external-client.ts';

const it = needs(kafkaTools);

let broker: RunningBroker;
let bootstrap: string;

test.before(async () => {
  broker = await startBroker({ port: 0 });
  bootstrap = broker.brokers[0]!;
});
test.after(async () => {
  await broker?.stop();
});

// Nine short-lived JVMs: C1 only and the serial collector cut their start-up CPU (no C2 compiles, no GC threads).
const java = (mainClass: string, args: string[], input?: string) =>
  run(javaCommand(), ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', `${libs}/*`, mainClass, '--bootstrap-server', bootstrap, ...args], { input, timeoutMs: 90_000 });

const produce = (topic: string, lines: string[]) =>
  java('org.apache.kafka.tools.ConsoleProducer', ['--topic', topic, '--reader-property', 'parse.key=true', '--reader-property', 'key.separator=:'], lines.join('\n') + '\n');

const consume = (topic: string, group: string, count: number, extra: string[] = []) =>
  java('org.apache.kafka.tools.consumer.ConsoleConsumer', [
    '--topic', topic, '--group', group, '--from-beginning', '--max-messages', String(count), '--timeout-ms', '30000',
    '--formatter-property', 'print.key=true', '--formatter-property', 'key.separator=:', ...extra,
  ]);

const records = (stdout: string) => stdout.split('\n').filter((l) => /^[^ ]+:[^ ]+$/.test(l)).sort();

async function createTopic(topic: string, numPartitions: number) {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await admin.disconnect();
}

it('the Java console producer writes keyed records and the console consumer reads them in a group', async () => {
  await createTopic('java-a', 2);
  const lines = ['k1:v1', 'k2:v2', 'k3:v3', 'k4:v4'];
  const p = await produce('java-a', lines);
  assert.is(p.code, 0, p.stderr);
  const c = await consume('java-a', 'java-group', lines.length);
  assert.is(c.code, 0, c.stderr);
  assert.equal(records(c.stdout), [...lines].sort());
});

it('the Java console consumer resumes its group after the offsets it committed', async () => {
  await createTopic('java-b', 1);
  await produce('java-b', ['a:1', 'b:2']);
  const first = await consume('java-b', 'java-resume', 2);
  assert.equal(records(first.stdout), ['a:1', 'b:2'], first.stderr);
  await produce('java-b', ['c:3']);
  const second = await consume('java-b', 'java-resume', 1);
  assert.is(second.code, 0, second.stderr);
  assert.equal(records(second.stdout), ['c:3']);
});

it('a static Java consumer (group.instance.id) stays in its Stable group on close, and its restart replaces that member and resumes', async () => {
  await createTopic('java-static', 1);
  const staticMember = ['--consumer-property', 'group.instance.id=console-1'];
  await produce('java-static', ['s:1']);
  const first = await consume('java-static', 'java-static-group', 1, staticMember);
  assert.equal(records(first.stdout), ['s:1'], first.stderr);
  // A static member does not leave on close (KIP-345): the group stays Stable with it.
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const before = (await admin.describeGroups(['java-static-group'])).groups[0]!;
    assert.is(before.state, 'Stable');
    await produce('java-static', ['s:2']);
    const second = await consume('java-static', 'java-static-group', 1, staticMember);
    assert.equal(records(second.stdout), ['s:2'], second.stderr);
    const after = (await admin.describeGroups(['java-static-group'])).groups[0]!;
    assert.is(after.members.length, 1, 'the restart replaced the member instead of adding one');
    assert.is.not(after.members[0]!.memberId, before.members[0]!.memberId);
  } finally {
    await admin.disconnect();
  }
});

test.run();
