import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCoordinator } from '../../../lib/broker/groups/coordinator.ts';
import { FileOffsetStore } from '../../../lib/broker/groups/offset-store.ts';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';
import { bytes, joinReq, joined, setup, stableSingle, text } from './helpers.ts';

const part = (partition: number, offset: number, metadata: string | null = null) =>
  ({ topic: 't', partition, offset, leaderEpoch: -1, metadata });

test('a member commits in its generation and fetch returns offset and metadata; unknown partitions are -1', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const r = await coordinator.commitOffsets({
    groupId: 'g', generationId: a.generationId, memberId: a.memberId, groupInstanceId: null,
    partitions: [part(0, 42, 'hello'), part(1, 7)],
  });
  assert.equal(r.map((p) => p.errorCode), [ErrorCode.NONE, ErrorCode.NONE]);
  const f = coordinator.fetchOffsets('g', [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }, { topic: 't', partition: 2 }]);
  assert.equal(f.partitions.map((p) => [p.partition, p.offset, p.metadata, p.errorCode]), [
    [0, 42, 'hello', ErrorCode.NONE], [1, 7, '', ErrorCode.NONE], [2, -1, '', ErrorCode.NONE],
  ]);
});

test('a commit from an older generation is ILLEGAL_GENERATION and changes nothing', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  await coordinator.commitOffsets({ groupId: 'g', generationId: a.generationId, memberId: a.memberId, groupInstanceId: null, partitions: [part(0, 5)] });
  const r = await coordinator.commitOffsets({ groupId: 'g', generationId: a.generationId - 1, memberId: a.memberId, groupInstanceId: null, partitions: [part(0, 99)] });
  assert.equal(r.map((p) => p.errorCode), [ErrorCode.ILLEGAL_GENERATION]);
  assert.is(coordinator.fetchOffsets('g', [{ topic: 't', partition: 0 }]).partitions[0]!.offset, 5);
});

test('a commit by a non-member is UNKNOWN_MEMBER_ID; into a group the broker never saw, with a generation, ILLEGAL_GENERATION', async () => {
  const { coordinator } = setup();
  const { join: a } = await stableSingle(coordinator);
  const r1 = await coordinator.commitOffsets({ groupId: 'g', generationId: a.generationId, memberId: 'x', groupInstanceId: null, partitions: [part(0, 1)] });
  assert.equal(r1.map((p) => p.errorCode), [ErrorCode.UNKNOWN_MEMBER_ID]);
  const r2 = await coordinator.commitOffsets({ groupId: 'new', generationId: 3, memberId: 'x', groupInstanceId: null, partitions: [part(0, 1)] });
  assert.equal(r2.map((p) => p.errorCode), [ErrorCode.ILLEGAL_GENERATION]);
});

test('a simple commit (generation -1) creates an Empty group that lists and keeps its offsets', async () => {
  const { coordinator } = setup();
  const r = await coordinator.commitOffsets({ groupId: 'simple', generationId: -1, memberId: '', groupInstanceId: null, partitions: [part(3, 11)] });
  assert.equal(r.map((p) => p.errorCode), [ErrorCode.NONE]);
  assert.equal(coordinator.list(), [{ groupId: 'simple', protocolType: '', state: 'Empty' }]);
  assert.equal(coordinator.fetchOffsets('simple', null).partitions.map((p) => [p.topic, p.partition, p.offset]), [['t', 3, 11]]);
});

test('a commit while the group awaits its assignment (CompletingRebalance) is REBALANCE_IN_PROGRESS', async () => {
  const { coordinator } = setup();
  const a = joined(await coordinator.join(joinReq()));
  const r = await coordinator.commitOffsets({ groupId: 'g', generationId: a.generationId, memberId: a.memberId, groupInstanceId: null, partitions: [part(0, 1)] });
  assert.equal(r.map((p) => p.errorCode), [ErrorCode.REBALANCE_IN_PROGRESS]);
});

test('metadata over offset.metadata.max.bytes fails that partition only', async () => {
  const { coordinator } = setup({ maxOffsetMetadataBytes: 4 });
  const r = await coordinator.commitOffsets({ groupId: 's', generationId: -1, memberId: '', groupInstanceId: null, partitions: [part(0, 1, 'toolong'), part(1, 2, 'ok')] });
  assert.equal(r.map((p) => p.errorCode), [12, ErrorCode.NONE]);
  assert.equal(coordinator.fetchOffsets('s', null).partitions.map((p) => p.partition), [1]);
});

test('describe reports state, protocol and each member metadata and assignment once Stable', async () => {
  const { coordinator } = setup();
  await stableSingle(coordinator, 'assigned');
  const d = coordinator.describe('g');
  assert.is(d.state, 'Stable');
  assert.is(d.protocolType, 'consumer');
  assert.is(d.protocol, 'roundrobin');
  assert.equal(d.members.map((m) => [m.clientId, m.clientHost, text(m.metadata), text(m.assignment)]), [['c', '/127.0.0.1', 'meta', 'assigned']]);
  assert.equal(coordinator.list(), [{ groupId: 'g', protocolType: 'consumer', state: 'Stable' }]);
});

test('an unknown group describes as Dead with no error', () => {
  const { coordinator } = setup();
  const d = coordinator.describe('missing');
  assert.is(d.errorCode, ErrorCode.NONE);
  assert.is(d.state, 'Dead');
  assert.equal(d.members, []);
});

test('deleting a topic drops committed offsets for it', async () => {
  const { coordinator } = setup();
  await coordinator.commitOffsets({ groupId: 's', generationId: -1, memberId: '', groupInstanceId: null, partitions: [part(0, 1), { ...part(0, 9), topic: 'u' }] });
  await coordinator.deleteTopics(['t']);
  assert.equal(coordinator.fetchOffsets('s', null).partitions.map((p) => [p.topic, p.offset]), [['u', 9]]);
});

test('offsets in a file store survive a new coordinator over the same directory, a torn last line ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'offsets-'));
  try {
    const c1 = new GroupCoordinator({ offsetStore: new FileOffsetStore(dir) });
    await c1.commitOffsets({ groupId: 's', generationId: -1, memberId: '', groupInstanceId: null, partitions: [part(0, 10, 'm')] });
    await c1.commitOffsets({ groupId: 's', generationId: -1, memberId: '', groupInstanceId: null, partitions: [part(0, 20, 'm2')] });
    await c1.deleteTopics(['gone']);
    await c1.close();
    appendFileSync(join(dir, 'offsets.jsonl'), '{"kind":"commit","groupId":"s","top');
    const c2 = new GroupCoordinator({ offsetStore: new FileOffsetStore(dir) });
    const f = c2.fetchOffsets('s', [{ topic: 't', partition: 0 }]);
    assert.equal(f.partitions.map((p) => [p.offset, p.metadata]), [[20, 'm2']]);
    assert.equal(c2.list().map((g) => [g.groupId, g.state]), [['s', 'Empty']]);
    await c2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('commit bytes are copied: mutating the request buffers later does not change stored metadata', async () => {
  const { coordinator } = setup();
  const meta = bytes('abcd');
  const j = joined(await coordinator.join(joinReq({ protocols: [{ name: 'p', metadata: meta }] })));
  meta.fill(0);
  assert.is(text(j.members[0]!.metadata), 'abcd');
});

test.run();
