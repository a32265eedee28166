// The Kafka 4.4 Java consumer with group.protocol=consumer (KIP-848) against the embedded
// broker: ConsumerGroupHeartbeat with server-side assignment, revocation before assignment
// when a member leaves, OffsetCommit / OffsetFetch with member epochs, and a group id held
// by one protocol refusing the other. Records are counted: each is read once per group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { consumerGroups } from '../../../lib/broker/groups/consumer/service.ts';
import { kafkaTools, needs } from '../../requirements.ts';
import { javaMember, produce as send, until, type JavaMember } from './java-member.ts';

const it = needs(kafkaTools);
const TOPIC = 'kip848-in';
let broker: RunningBroker;
const requests = new Map<string, Set<string>>();

test.before(async () => {
  broker = await startBroker({
    port: 0, defaultPartitions: 4, logRequests: true, consumerGroupHeartbeatIntervalMs: 300,
    log: (_level, message, extra) => {
      const m = /^request (\w+ v\d+)$/.exec(message);
      if (!m) return;
      const clientId = String((extra as { clientId?: string | null }).clientId);
      if (!requests.has(clientId)) requests.set(clientId, new Set());
      requests.get(clientId)!.add(m[1]!);
    },
  });
});
test.after(() => broker.stop());

const member = (group: string, protocol: 'consumer' | 'classic', assignor?: string) =>
  javaMember({ bootstrap: broker.brokers[0]!, topic: TOPIC, group, protocol, assignor });
const records = (m: JavaMember) => m.records();
const lastAssignment = (m: JavaMember) => m.lastAssignment();
const produce = (values: string[]) => send(broker.brokers, TOPIC, values);

const once = (seen: string[], expected: string[]) => {
  assert.equal([...seen].sort(), [...expected].sort(), 'every record exactly once');
};

it('two Java consumers (group.protocol=consumer) share the partitions; after one leaves the other takes them all; each record is read once', async () => {
  const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 4 }] });
  await admin.disconnect();
  const a = await member('kip848-g', 'consumer');
  const b = await member('kip848-g', 'consumer');
  try {
    const service = consumerGroups(brokerStateOf(broker));
    await until('a stable group of two', () => {
      const d = service.describe('kip848-g', false);
      return d.kind === 'group' && d.state === 'Stable' && d.members.length === 2
        && d.members.every((m) => m.assignment.reduce((n, t) => n + t.partitions.length, 0) === 2);
    });
    const first = Array.from({ length: 40 }, (_, i) => `first-${i}`);
    await produce(first);
    await until('the first 40 records', () => records(a).length + records(b).length >= 40);
    assert.ok(records(a).length > 0 && records(b).length > 0, `both members read: a ${records(a).length}, b ${records(b).length}`);
    assert.is(await b.stop(), 0, 'b closes cleanly');
    await until('a owning all 4 partitions', () => lastAssignment(a) === 'A [0, 1, 2, 3]');
    const second = Array.from({ length: 40 }, (_, i) => `second-${i}`);
    await produce(second);
    await until('all 80 records', () => records(a).length + records(b).length >= 80);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now
    once([...records(a), ...records(b)], [...first, ...second]);
    assert.is(await a.stop(), 0);
    const d = service.describe('kip848-g', false);
    assert.ok(d.kind === 'group' && d.state === 'Empty', 'the group is empty after both left');
    const used = [...requests].filter(([id]) => id.startsWith('consumer-kip848-g')).flatMap(([, s]) => [...s]);
    for (const v of ['ConsumerGroupHeartbeat v1', 'OffsetCommit v10', 'OffsetFetch v10']) {
      assert.ok(used.includes(v), `the consumer sent ${v}; it sent ${[...new Set(used)].sort().join(', ')}`);
    }
  } finally {
    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
  }
});

it('a second group with the range assignor reads every record once, from its own offsets', async () => {
  const c = await member('kip848-range', 'consumer', 'range');
  try {
    await until('80 records in the second group', () => records(c).length >= 80);
    await new Promise((r) => setTimeout(r, 500));
    assert.is(records(c).length, 80, 'no record twice');
    const d = consumerGroups(brokerStateOf(broker)).describe('kip848-range', false);
    assert.ok(d.kind === 'group' && d.assignorName === 'range', 'the group uses the range assignor');
  } finally {
    assert.is(await c.stop(), 0);
  }
});

it('a restarted member resumes from the committed offsets: nothing is read again', async () => {
  await produce(['third-0', 'third-1', 'third-2', 'third-3']);
  const c = await member('kip848-range', 'consumer', 'range');
  try {
    await until('the 4 new records', () => records(c).length >= 4);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(records(c).sort(), ['third-0', 'third-1', 'third-2', 'third-3']);
  } finally {
    assert.is(await c.stop(), 0);
  }
});

it('a classic member cannot join a group held by a consumer-protocol member (INCONSISTENT_GROUP_PROTOCOL)', async () => {
  const modern = await member('kip848-mixed', 'consumer');
  try {
    const service = consumerGroups(brokerStateOf(broker));
    await until('the consumer-protocol member joined', () => {
      const d = service.describe('kip848-mixed', false);
      return d.kind === 'group' && d.members.length === 1;
    });
    const classic = await member('kip848-mixed', 'classic');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([classic.closed, new Promise((r) => { timer = setTimeout(() => r('still running'), 30_000); })]);
    clearTimeout(timer);
    classic.child.kill('SIGKILL');
    assert.is(code, 1, 'the classic consumer fails');
    assert.match(classic.err(), /InconsistentGroupProtocolException/, classic.err().slice(-1500));
  } finally {
    await modern.stop();
  }
});

test.run();
