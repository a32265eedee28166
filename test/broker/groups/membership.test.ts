import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';
import { bytes, joinReq, joined, settled, setup, stableSingle, synced, text } from './helpers.ts';

const sync = (memberId: string, generationId: number, assignments: { memberId: string; assignment: Uint8Array }[] = []) => ({
  groupId: 'g', generationId, memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments,
});
const hb = (memberId: string, generationId: number) => ({ groupId: 'g', memberId, generationId, groupInstanceId: null });

test('a v4+ first join gets MEMBER_ID_REQUIRED with an id, and rejoining with it makes the member leader of generation 1', async () => {
  const { coordinator } = setup();
  const first = await coordinator.join(joinReq({ requireKnownMemberId: true }));
  assert.is(first.kind, 'error');
  if (first.kind !== 'error') return;
  assert.is(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.ok(first.memberId.startsWith('c-'));
  const j = joined(await coordinator.join(joinReq({ memberId: first.memberId, requireKnownMemberId: true })));
  assert.is(j.memberId, first.memberId);
  assert.is(j.leaderId, first.memberId);
  assert.is(j.generationId, 1);
  assert.is(j.protocolName, 'roundrobin');
  assert.equal(j.members.map((m) => [m.memberId, text(m.metadata)]), [[first.memberId, 'meta']]);
});

test('a lone member syncs its own assignment and the group becomes Stable', async () => {
  const { coordinator } = setup();
  const { join, sync: s } = await stableSingle(coordinator, 'mine');
  assert.is(text(s.assignment), 'mine');
  assert.is(coordinator.describe('g').state, 'Stable');
  assert.is(coordinator.heartbeat(hb(join.memberId, join.generationId)), ErrorCode.NONE);
});

test('a second member triggers a rebalance: both rejoin into generation 2, only the leader sees the members', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  assert.not.ok(await settled(bJoin), 'the newcomer waits for the existing member to rejoin');
  assert.is(coordinator.heartbeat(hb(a.memberId, a.generationId)), ErrorCode.REBALANCE_IN_PROGRESS);
  const a2 = joined(await coordinator.join(joinReq({ memberId: a.memberId })));
  const b2 = joined(await bJoin);
  assert.is(a2.generationId, 2);
  assert.is(b2.generationId, 2);
  assert.is(a2.leaderId, a.memberId);
  assert.is(b2.leaderId, a.memberId);
  assert.equal(a2.members.map((m) => m.memberId).sort(), [a.memberId, b2.memberId].sort());
  assert.equal(b2.members, []);
});

test('a follower waits in SyncGroup until the leader sends the assignments; each gets its own', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  const a2 = joined(await coordinator.join(joinReq({ memberId: a.memberId })));
  const b2 = joined(await bJoin);
  const bSync = coordinator.sync(sync(b2.memberId, 2));
  assert.not.ok(await settled(bSync));
  assert.is(coordinator.describe('g').state, 'CompletingRebalance');
  const aSync = synced(await coordinator.sync(sync(a2.memberId, 2, [
    { memberId: a2.memberId, assignment: bytes('for-a') },
    { memberId: b2.memberId, assignment: bytes('for-b') },
  ])));
  assert.is(text(aSync.assignment), 'for-a');
  assert.is(text(synced(await bSync).assignment), 'for-b');
  assert.is(coordinator.describe('g').state, 'Stable');
});

test('a member leaving a Stable group makes the others rejoin into a new generation without it', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  await coordinator.join(joinReq({ memberId: a.memberId }));
  const b2 = joined(await bJoin);
  await Promise.all([
    coordinator.sync(sync(a.memberId, 2, [{ memberId: a.memberId, assignment: bytes('x') }])),
    coordinator.sync(sync(b2.memberId, 2)),
  ]);
  const left = coordinator.leave('g', [{ memberId: a.memberId, groupInstanceId: null }]);
  assert.equal(left.members.map((m) => m.errorCode), [ErrorCode.NONE]);
  assert.is(coordinator.heartbeat(hb(b2.memberId, 2)), ErrorCode.REBALANCE_IN_PROGRESS);
  const b3 = joined(await coordinator.join(joinReq({ memberId: b2.memberId })));
  assert.is(b3.generationId, 3);
  assert.is(b3.leaderId, b2.memberId, 'leadership passes to the remaining member');
  assert.equal(b3.members.map((m) => m.memberId), [b2.memberId]);
});

test('the last member leaving empties the group and a later join starts over', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  coordinator.leave('g', [{ memberId: a.memberId, groupInstanceId: null }]);
  assert.is(coordinator.heartbeat(hb(a.memberId, a.generationId)), ErrorCode.UNKNOWN_MEMBER_ID);
  const again = joined(await coordinator.join(joinReq()));
  assert.is.not(again.memberId, a.memberId);
});

test('leaving with an unknown member id answers UNKNOWN_MEMBER_ID for that member', () => {
  const { coordinator } = setup();
  const r = coordinator.leave('nope', [{ memberId: 'ghost', groupInstanceId: null }]);
  assert.is(r.errorCode, ErrorCode.NONE);
  assert.equal(r.members.map((m) => m.errorCode), [ErrorCode.UNKNOWN_MEMBER_ID]);
});

test('a member that stops heartbeating is removed after its session timeout and the group rebalances', async () => {
  const { coordinator, clock } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  await coordinator.join(joinReq({ memberId: a.memberId }));
  const b2 = joined(await bJoin);
  await Promise.all([
    coordinator.sync(sync(a.memberId, 2, [{ memberId: a.memberId, assignment: bytes('x') }])),
    coordinator.sync(sync(b2.memberId, 2)),
  ]);
  clock.advance(6_000);
  assert.is(coordinator.heartbeat(hb(a.memberId, 2)), ErrorCode.NONE);
  clock.advance(6_000); // b silent for 12 s > 10 s session timeout; a heartbeated 6 s ago
  assert.is(coordinator.heartbeat(hb(b2.memberId, 2)), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.is(coordinator.heartbeat(hb(a.memberId, 2)), ErrorCode.REBALANCE_IN_PROGRESS);
  const a3 = joined(await coordinator.join(joinReq({ memberId: a.memberId })));
  assert.equal(a3.members.map((m) => m.memberId), [a.memberId]);
});

test('heartbeats with a stale generation get ILLEGAL_GENERATION, unknown ids UNKNOWN_MEMBER_ID', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  assert.is(coordinator.heartbeat(hb(a.memberId, a.generationId - 1)), ErrorCode.ILLEGAL_GENERATION);
  assert.is(coordinator.heartbeat(hb('stranger', a.generationId)), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.is(coordinator.heartbeat({ ...hb(a.memberId, a.generationId), groupId: 'other' }), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.is(coordinator.heartbeat({ ...hb(a.memberId, a.generationId), groupId: '' }), ErrorCode.INVALID_GROUP_ID);
});

test('a member that does not rejoin within the rebalance timeout is dropped and the others proceed', async () => {
  const { coordinator, clock } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  assert.not.ok(await settled(bJoin));
  clock.advance(20_000); // a's rebalance timeout; a never rejoined
  const b2 = joined(await bJoin);
  assert.is(b2.leaderId, b2.memberId);
  assert.equal(b2.members.map((m) => m.memberId), [b2.memberId]);
  assert.is(coordinator.heartbeat(hb(a.memberId, 2)), ErrorCode.UNKNOWN_MEMBER_ID);
});

test('a follower that never sends SyncGroup is removed after the rebalance timeout', async () => {
  const { coordinator, clock } = setup();
  const { join: a } = await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  await coordinator.join(joinReq({ memberId: a.memberId }));
  const b2 = joined(await bJoin);
  await coordinator.sync(sync(a.memberId, 2, [{ memberId: a.memberId, assignment: bytes('x') }]));
  assert.is(coordinator.heartbeat(hb(a.memberId, 2)), ErrorCode.NONE);
  clock.advance(9_000);
  assert.is(coordinator.heartbeat(hb(a.memberId, 2)), ErrorCode.NONE);
  assert.is(coordinator.heartbeat(hb(b2.memberId, 2)), ErrorCode.NONE, 'b heartbeats but never syncs');
  clock.advance(11_000);
  assert.is(coordinator.heartbeat(hb(b2.memberId, 2)), ErrorCode.UNKNOWN_MEMBER_ID);
});

test('SyncGroup with a wrong generation is ILLEGAL_GENERATION; during the join phase it is REBALANCE_IN_PROGRESS', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const s1 = await coordinator.sync(sync(a.memberId, 7));
  assert.equal(s1, { kind: 'error', errorCode: ErrorCode.ILLEGAL_GENERATION });
  void coordinator.join(joinReq({ clientId: 'b' }));
  const s2 = await coordinator.sync(sync(a.memberId, a.generationId));
  assert.equal(s2, { kind: 'error', errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
});

test('the protocol every member supports is chosen; a member sharing none is refused', async () => {
  const { coordinator } = setup();
  const p = (...names: string[]) => names.map((name) => ({ name, metadata: bytes(name) }));
  const aJoin = coordinator.join(joinReq({ protocols: p('range', 'roundrobin') }));
  const a = joined(await aJoin);
  assert.is(a.protocolName, 'range');
  const bJoin = coordinator.join(joinReq({ clientId: 'b', protocols: p('roundrobin', 'sticky') }));
  const a2 = joined(await coordinator.join(joinReq({ memberId: a.memberId, protocols: p('range', 'roundrobin') })));
  assert.is(a2.protocolName, 'roundrobin');
  assert.is(joined(await bJoin).protocolName, 'roundrobin');
  assert.equal(a2.members.map((m) => text(m.metadata)), ['roundrobin', 'roundrobin']);
  const c = await coordinator.join(joinReq({ clientId: 'c', protocols: p('cooperative') }));
  assert.equal(c, { kind: 'error', errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId: '' });
});

test('a session timeout outside the broker bounds is INVALID_SESSION_TIMEOUT', async () => {
  const { coordinator } = setup();
  const r = await coordinator.join(joinReq({ sessionTimeoutMs: 100 }));
  assert.equal(r, { kind: 'error', errorCode: ErrorCode.INVALID_SESSION_TIMEOUT, memberId: '' });
});

test('with an initial rebalance delay, members joining an empty group close together share generation 1', async () => {
  const { coordinator, clock } = setup({ initialRebalanceDelayMs: 3_000 });
  const aJoin = coordinator.join(joinReq());
  clock.advance(2_000);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  clock.advance(3_000);
  assert.not.ok(await settled(aJoin), 'the newcomer extended the delay by one more step, to 6 s');
  clock.advance(1_000);
  const [a, b] = [joined(await aJoin), joined(await bJoin)];
  assert.is(a.generationId, 1);
  assert.is(b.generationId, 1);
  assert.is(a.members.length, 2);
});

test('a pending member id that never comes back expires after the session timeout', async () => {
  const { coordinator, clock } = setup();
  const { join: a } = await stableSingle(coordinator);
  const pending = await coordinator.join(joinReq({ clientId: 'b', requireKnownMemberId: true }));
  assert.is(pending.kind, 'error');
  clock.advance(5_000);
  coordinator.heartbeat(hb(a.memberId, a.generationId));
  clock.advance(5_001);
  const late = await coordinator.join(joinReq({ clientId: 'b', memberId: pending.memberId, requireKnownMemberId: true }));
  assert.equal(late, { kind: 'error', errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: pending.memberId });
  assert.is(coordinator.heartbeat(hb(a.memberId, a.generationId)), ErrorCode.NONE, 'no rebalance happened');
});

test('a static member restarting into a Stable group fences its old id and keeps its assignment without a rebalance', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator, 'kept', { groupInstanceId: 'inst-1' });
  const again = joined(await coordinator.join(joinReq({ groupInstanceId: 'inst-1' })));
  assert.is.not(again.memberId, a.memberId);
  assert.is(again.generationId, a.generationId, 'no new generation');
  assert.is(again.leaderId, a.memberId, 'the former leader id, so it does not run an assignment');
  assert.is(coordinator.heartbeat({ ...hb(a.memberId, a.generationId), groupInstanceId: 'inst-1' }), ErrorCode.FENCED_INSTANCE_ID);
  const s = synced(await coordinator.sync({ ...sync(again.memberId, again.generationId), groupInstanceId: 'inst-1' }));
  assert.is(text(s.assignment), 'kept');
  assert.is(coordinator.describe('g').state, 'Stable');
});

test('a static member restarting with a protocol the group would not choose triggers a rebalance', async () => {
  const { coordinator } = setup();
  const p = (...names: string[]) => names.map((name) => ({ name, metadata: bytes(name) }));
  const { join: a } = await stableSingle(coordinator, 'x', { groupInstanceId: 'inst-1', protocols: p('roundrobin', 'range') });
  assert.is(a.protocolName, 'roundrobin');
  const rejoin = coordinator.join(joinReq({ groupInstanceId: 'inst-1', protocols: p('range', 'roundrobin') }));
  const again = joined(await rejoin);
  assert.is(again.generationId, a.generationId + 1);
  assert.is(again.protocolName, 'range');
});

test('close answers parked joins with NOT_COORDINATOR and leaves no timers behind', async () => {
  const { coordinator, clock } = setup();
  await stableSingle(coordinator);
  const bJoin = coordinator.join(joinReq({ clientId: 'b' }));
  await coordinator.close();
  const r = await bJoin;
  assert.is(r.kind === 'error' && r.errorCode, ErrorCode.NOT_COORDINATOR);
  clock.advance(1_000_000);
  assert.is(clock.pending, 0);
});

test.run();
