// kcat (librdkafka, Debian package `kcat`) producing and consuming with a consumer group
// against the embedded broker. librdkafka 2.0 asks ApiVersions v3 first and falls back to v0
// on our UNSUPPORTED_VERSION answer; it then uses Metadata v4, Produce v7, Fetch v11,
// ListOffsets v2, FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3,
// LeaveGroup v1, OffsetCommit v7, OffsetFetch v5.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { kcat as kcatInstalled, needs } from '../../requirements.ts';
import { run, start } from './external-client.ts';

const it = needs(kcatInstalled);

let broker: RunningBroker;
let bootstrap: string;

test.before(async () => {
  broker = await startBroker({ port: 0 });
  bootstrap = broker.brokers[0]!;
});
test.after(async () => {
  await broker?.stop();
});

const kcat = (args: string[], input?: string) => run('kcat', ['-b', bootstrap, ...args], { input, timeoutMs: 30_000 });

async function createTopic(topic: string, numPartitions: number) {
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }] });
  await admin.disconnect();
}

/** Consumes with a group until the end of every assigned partition, printing partition:key:value. */
const consumeGroup = (group: string, topic: string) =>
  kcat(['-G', group, '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%p:%k:%s\\n', topic]);

const lines = (s: string) => s.split('\n').filter((l) => l !== '').sort();

it('kcat produces keyed messages and a kcat group consumer reads every one', async () => {
  await createTopic('kc-a', 3);
  const input = Array.from({ length: 9 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n';
  const produced = await kcat(['-P', '-t', 'kc-a', '-K:'], input);
  assert.is(produced.code, 0, produced.stderr);
  const consumed = await consumeGroup('kc-group', 'kc-a');
  assert.is(consumed.code, 0, consumed.stderr);
  const got = lines(consumed.stdout);
  assert.equal(got.map((l) => l.split(':').slice(1).join(':')).sort(), Array.from({ length: 9 }, (_, i) => `k${i}:v${i}`).sort());
  assert.is(new Set(got.map((l) => l.split(':')[0])).size, 3, 'keys spread over the 3 partitions');
});

it('a kcat group consumer run again resumes after the offsets it committed', async () => {
  await createTopic('kc-b', 2);
  await kcat(['-P', '-t', 'kc-b', '-K:'], 'a:1\nb:2\nc:3\n');
  const first = await consumeGroup('kc-resume', 'kc-b');
  assert.is(lines(first.stdout).length, 3, first.stderr);
  await kcat(['-P', '-t', 'kc-b', '-K:'], 'd:4\ne:5\n');
  const second = await consumeGroup('kc-resume', 'kc-b');
  assert.is(second.code, 0, second.stderr);
  assert.equal(lines(second.stdout).map((l) => l.split(':').slice(1).join(':')).sort(), ['d:4', 'e:5']);
});

it('kafkajs admin sees the group kcat committed for, with its offsets', async () => {
  await createTopic('kc-c', 1);
  await kcat(['-P', '-t', 'kc-c'], 'x\ny\n');
  await consumeGroup('kc-seen', 'kc-c');
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const listed = await admin.listGroups();
    assert.ok(listed.groups.some((g) => g.groupId === 'kc-seen' && g.protocolType === 'consumer'));
    const offsets = await admin.fetchOffsets({ groupId: 'kc-seen', topics: ['kc-c'] });
    assert.equal(offsets[0]!.partitions.map((p) => [p.partition, p.offset]), [[0, '2']]);
  } finally {
    await admin.disconnect();
  }
});

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('two kcat consumers in one group split the partitions and together read every message once', async () => {
  await createTopic('kc-pair', 4);
  const args = ['-b', bootstrap, '-G', 'kc-pair', '-X', 'auto.offset.reset=earliest', '-u', '-q', '-f', '%p:%s\\n', 'kc-pair'];
  const a = start('kcat', args);
  const b = start('kcat', args);
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await until('a Stable group of two members, each with partitions', async () => {
      const g = (await admin.describeGroups(['kc-pair'])).groups[0]!;
      return g.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 0);
    });
    const values = Array.from({ length: 12 }, (_, i) => `v${i}`);
    await kcat(['-P', '-t', 'kc-pair', '-K:'], values.map((v, i) => `key${i}:${v}`).join('\n') + '\n');
    await until('all 12 messages', () => lines(a.stdout()).length + lines(b.stdout()).length >= 12);
    const [ra, rb] = await Promise.all([a.stop(), b.stop()]);
    const got = [...lines(ra.stdout), ...lines(rb.stdout)];
    assert.equal(got.map((l) => l.split(':')[1]).sort(), [...values].sort(), 'every message exactly once');
    const partitionsOf = (out: string) => new Set(lines(out).map((l) => l.split(':')[0]));
    const pa = partitionsOf(ra.stdout), pb = partitionsOf(rb.stdout);
    assert.ok(pa.size > 0 && pb.size > 0, 'both consumers got messages');
    assert.ok([...pa].every((p) => !pb.has(p)), 'no partition read by both');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await admin.disconnect();
  }
});

test.run();
