// The KIP-848 consumer group coordinator stepped by hand (a manual clock, heartbeats as a
// member would send them): epochs, revocation before assignment, timeouts, fencing, the
// assignors and the one-type-per-group-id rule with classic groups.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../lib/broker/groups/clock.ts';
import { GroupCoordinator } from '../../../lib/broker/groups/coordinator.ts';
import { ConsumerGroupService } from '../../../lib/broker/groups/consumer/admin.ts';
import { rangeAssignor, uniformAssignor } from '../../../lib/broker/groups/consumer/assignors.ts';
import type { ConsumerHeartbeat, HeartbeatResult, TopicPartitions } from '../../../lib/broker/groups/consumer/coordinator.ts';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';
import { TopicStore } from '../../../lib/broker/storage/topic-store.ts';

function setup(partitions = 4) {
  const clock = new ManualClock(1000);
  const topics = new TopicStore();
  topics.create('t', partitions);
  const classic = new GroupCoordinator({ clock, minSessionTimeoutMs: 1000 });
  const cg = new ConsumerGroupService({ topics, classic, clock, heartbeatIntervalMs: 100, sessionTimeoutMs: 3000 });
  const id = topics.get('t')!.id;
  const hb = (memberId: string, memberEpoch: number, owned: number[] | null, extra: Partial<ConsumerHeartbeat> = {}): HeartbeatResult =>
    cg.heartbeat({
      groupId: 'g', memberId, memberEpoch, instanceId: null, rackId: null,
      rebalanceTimeoutMs: memberEpoch === 0 ? 5000 : -1,
      subscribedTopicNames: memberEpoch === 0 ? ['t'] : null, subscribedTopicRegex: null, serverAssignor: null,
      topicPartitions: owned === null ? null : owned.length ? [{ topicId: id, partitions: owned }] : [],
      clientId: 'c', clientHost: '', ...extra,
    });
  return { clock, topics, classic, cg, id, hb };
}

const ok = (r: HeartbeatResult) => {
  if (r.kind !== 'ok') throw new Error(`heartbeat failed: ${r.errorCode} ${r.errorMessage}`);
  return r;
};
const parts = (a: TopicPartitions[] | null) => a === null ? null : a.flatMap((t) => t.partitions).sort();

// A new group starts at epoch 1 (as in Kafka 4.x), so the first member's epoch is 2.
test('the first member gets every partition at epoch 2', () => {
  const { hb } = setup();
  const r = ok(hb('a', 0, []));
  assert.is(r.memberEpoch, 2);
  assert.equal(parts(r.assignment), [0, 1, 2, 3]);
  assert.is(r.heartbeatIntervalMs, 100);
});

test('a second member: the first revokes at its old epoch, the second waits for the partitions until they are released', () => {
  const { hb } = setup();
  ok(hb('a', 0, []));
  const b1 = ok(hb('b', 0, []));
  assert.is(b1.memberEpoch, 3, 'b is at the new group epoch');
  assert.equal(parts(b1.assignment), [], 'but gets nothing a still owns');
  const a1 = ok(hb('a', 2, [0, 1, 2, 3]));
  assert.is(a1.memberEpoch, 2, 'a must revoke first, at its old epoch');
  assert.is(parts(a1.assignment)!.length, 2);
  const kept = parts(a1.assignment)!;
  const a2 = ok(hb('a', 2, kept));
  assert.is(a2.memberEpoch, 3, 'having revoked, a moves to epoch 3');
  const b2 = ok(hb('b', 3, []));
  assert.equal(parts(b2.assignment), [0, 1, 2, 3].filter((p) => !kept.includes(p)), 'b receives the released partitions');
});

test('a member that stops heartbeating is removed after the session timeout; the other takes its partitions', () => {
  const { hb, clock, cg } = setup();
  ok(hb('a', 0, []));
  ok(hb('b', 0, []));
  const a1 = ok(hb('a', 2, [0, 1, 2, 3]));
  ok(hb('a', 2, parts(a1.assignment)!));
  clock.advance(2000);
  ok(hb('a', 3, parts(a1.assignment)!));
  clock.advance(1500); // b silent for 3.5 s > 3 s
  const d = cg.describe('g', false);
  assert.ok(d.kind === 'group' && d.members.length === 1, 'b is gone');
  const a3 = ok(hb('a', 3, parts(a1.assignment)!));
  assert.equal(parts(a3.assignment), [0, 1, 2, 3]);
  assert.is(a3.memberEpoch, 4, "the removal bumped the group epoch");
});

test('a member that does not revoke within its rebalance timeout is removed', () => {
  const { hb, clock, cg } = setup();
  ok(hb('a', 0, []));
  ok(hb('b', 0, []));
  ok(hb('a', 2, [0, 1, 2, 3])); // told to revoke; keeps reporting all four
  for (let i = 0; i < 6; i++) {
    clock.advance(900);
    ok(hb('b', 3, []));
    if (i < 5) hb('a', 2, [0, 1, 2, 3]);
  }
  const d = cg.describe('g', false);
  assert.ok(d.kind === 'group' && d.members.map((m) => m.memberId).join() === 'b', 'a was fenced out');
});

test('a wrong epoch is fenced; an unknown member is refused', () => {
  const { hb } = setup();
  ok(hb('a', 0, []));
  const ahead = hb('a', 6, [0, 1, 2, 3]);
  assert.ok(ahead.kind === 'error' && ahead.errorCode === ErrorCode.FENCED_MEMBER_EPOCH);
  const stranger = hb('x', 2, []);
  assert.ok(stranger.kind === 'error' && stranger.errorCode === ErrorCode.UNKNOWN_MEMBER_ID);
});

test('leaving (epoch -1) frees the partitions at once', () => {
  const { hb } = setup();
  ok(hb('a', 0, []));
  ok(hb('b', 0, []));
  const left = ok(hb('a', -1, null));
  assert.is(left.memberEpoch, -1);
  const b = ok(hb('b', 3, []));
  assert.equal(parts(b.assignment), [0, 1, 2, 3]);
});

test('an unknown assignor answers UNSUPPORTED_ASSIGNOR; range is honoured', () => {
  const { hb, cg } = setup();
  const bad = hb('a', 0, [], { serverAssignor: 'sticky' });
  assert.ok(bad.kind === 'error' && bad.errorCode === ErrorCode.UNSUPPORTED_ASSIGNOR);
  ok(hb('a', 0, [], { serverAssignor: 'range' }));
  const d = cg.describe('g', false);
  assert.ok(d.kind === 'group' && d.assignorName === 'range');
});

test('a classic group with members keeps its id: GROUP_ID_NOT_FOUND; an empty classic group with offsets converts', async () => {
  const { hb, classic } = setup();
  const joined = classic.join({
    groupId: 'g', memberId: '', groupInstanceId: null, sessionTimeoutMs: 5000, rebalanceTimeoutMs: 5000,
    protocolType: 'consumer', protocols: [{ name: 'range', metadata: new Uint8Array() }], clientId: 'c', clientHost: '', requireKnownMemberId: false,
  });
  assert.is((await joined).kind, 'joined');
  const r = hb('a', 0, []);
  assert.ok(r.kind === 'error' && r.errorCode === ErrorCode.GROUP_ID_NOT_FOUND && /not a consumer group/.test(r.errorMessage));

  const other = setup();
  await other.classic.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, partitions: [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: '' }] });
  assert.is(other.classic.classicGroupKind('g'), 'empty');
  ok(other.hb('a', 0, []));
  assert.is(other.classic.classicGroupKind('g'), 'none', 'the id now names a consumer group');
  assert.is(other.classic.fetchOffsets('g', [{ topic: 't', partition: 0 }]).partitions[0]!.offset, 5, 'its offsets stay');
});

test('commits are checked against the member epoch: stale either way, unknown member, old versions, admin on an empty group', () => {
  const { hb, cg } = setup();
  ok(hb('a', 0, []));
  assert.is(cg.validateCommit('g', 'a', 2), ErrorCode.NONE);
  assert.is(cg.validateCommit('g', 'a', 0), ErrorCode.STALE_MEMBER_EPOCH);
  assert.is(cg.validateCommit('g', 'a', 3), ErrorCode.STALE_MEMBER_EPOCH);
  assert.is(cg.validateCommit('g', 'a', 2, { version: 8 }), ErrorCode.UNSUPPORTED_VERSION, 'a KIP-848 member commits with v9+');
  assert.is(cg.validateCommit('g', 'a', 2, { version: 3, transactional: true }), ErrorCode.NONE);
  assert.is(cg.validateCommit('g', 'x', 2), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.is(cg.validateCommit('g', '', -1), ErrorCode.UNKNOWN_MEMBER_ID, 'no admin commit while members are in');
  ok(hb('a', -1, null));
  assert.is(cg.validateCommit('g', '', -1), ErrorCode.NONE);
});

test('a regex subscription takes matching topics, including one created later (the group epoch is bumped)', () => {
  const { hb, topics } = setup(2);
  const r = ok(hb('a', 0, [], { subscribedTopicNames: null, subscribedTopicRegex: 't.*' }));
  assert.equal(parts(r.assignment), [0, 1]);
  topics.create('tx', 3);
  const next = ok(hb('a', r.memberEpoch, [0, 1]));
  assert.is(next.memberEpoch, r.memberEpoch + 1);
  assert.is(next.assignment!.reduce((n, t) => n + t.partitions.length, 0), 5, 't and tx');
  const invalid = hb('b', 0, [], { subscribedTopicNames: null, subscribedTopicRegex: '(' });
  assert.ok(invalid.kind === 'error' && invalid.errorCode === ErrorCode.INVALID_REQUEST);
});

test('a fenced member rejoins with epoch 0 and gets its assignment again', () => {
  const { hb } = setup();
  ok(hb('a', 0, []));
  assert.is(hb('a', 8, [0]).kind, 'error');
  const again = ok(hb('a', 0, []));
  assert.is(again.memberEpoch, 2);
  assert.equal(parts(again.assignment), [0, 1, 2, 3]);
});

test('a static member leaving with epoch -2 keeps its partitions; its successor (same instance id) takes them over without a rebalance', () => {
  const { hb, cg } = setup();
  ok(hb('a', 0, [], { instanceId: 'i-a' }));
  ok(hb('b', 0, [], { instanceId: 'i-b' }));
  const a1 = ok(hb('a', 2, [0, 1, 2, 3]));
  const kept = parts(a1.assignment)!;
  ok(hb('a', 2, kept));
  const b = ok(hb('b', 3, []));
  const bParts = parts(b.assignment)!;
  assert.is(ok(hb('b', 3, bParts, { instanceId: null })).memberEpoch, 3);
  const left = ok(hb('b', -2, null, { instanceId: 'i-b' }));
  assert.is(left.memberEpoch, -2);
  const d = cg.describe('g', false);
  assert.ok(d.kind === 'group' && d.groupEpoch === 3, 'no epoch bump for a static leave');
  const a2 = ok(hb('a', 3, kept));
  assert.is(a2.assignment, null, 'a is not given b\'s partitions');
  const b2 = ok(hb('b-restarted', 0, [], { instanceId: 'i-b' }));
  assert.is(b2.memberEpoch, 3, 'the successor joins at the current epoch');
  assert.equal(parts(b2.assignment), bParts, 'with the same partitions');
});

test('a second member with an instance id still in use is refused (UNRELEASED_INSTANCE_ID)', () => {
  const { hb } = setup();
  ok(hb('a', 0, [], { instanceId: 'i-a' }));
  const r = hb('a2', 0, [], { instanceId: 'i-a' });
  assert.ok(r.kind === 'error' && r.errorCode === ErrorCode.UNRELEASED_INSTANCE_ID);
});

test('a static member that left and does not come back is removed after the session timeout', () => {
  const { hb, clock, cg } = setup();
  ok(hb('a', 0, [], { instanceId: 'i-a' }));
  ok(hb('b', 0, []));
  ok(hb('a', -2, null, { instanceId: 'i-a' }));
  clock.advance(2000);
  ok(hb('b', 3, []));
  clock.advance(1500);
  const d = cg.describe('g', false);
  assert.ok(d.kind === 'group' && d.members.map((m) => m.memberId).join() === 'b');
  const b = ok(hb('b', 3, []));
  assert.equal(parts(b.assignment), [0, 1, 2, 3]);
});

test('uniform: balanced counts, and members keep what they own where balance allows', () => {
  const topicIds = new Set(['T']);
  const partitions = new Map([['T', 5]]);
  const out = uniformAssignor({
    members: [
      { memberId: 'a', topicIds, current: new Map([['T', new Set([0, 1, 2, 3, 4])]]) },
      { memberId: 'b', topicIds, current: new Map() },
    ],
    partitions,
  });
  const a = [...(out.get('a')!.get('T') ?? [])], b = [...(out.get('b')!.get('T') ?? [])];
  assert.equal([a.length, b.length].sort(), [2, 3]);
  assert.equal([...a, ...b].sort(), [0, 1, 2, 3, 4]);
});

test('range: contiguous ranges in member id order, the first members taking the extra partitions', () => {
  const topicIds = new Set(['T']);
  const out = rangeAssignor({
    members: [{ memberId: 'b', topicIds, current: new Map() }, { memberId: 'a', topicIds, current: new Map() }],
    partitions: new Map([['T', 5]]),
  });
  assert.equal([...out.get('a')!.get('T')!], [0, 1, 2]);
  assert.equal([...out.get('b')!.get('T')!], [3, 4]);
});

test.run();
