// The transaction coordinator's state machine on real partition logs and a real group
// coordinator (memory stores): init and epoch bumps, fencing, partitions, commit, abort,
// timeout expiry, offsets held until commit, and recovery from persisted metadata.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCoordinator } from '../../../lib/broker/groups/coordinator.ts';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';
import { controlTypeOf, encodeBatch, isControl, readBatchHeader } from '../../../lib/broker/protocol/records.ts';
import { TopicStore } from '../../../lib/broker/storage/topic-store.ts';
import { stableSingle } from '../groups/helpers.ts';
import { TransactionCoordinator } from '../../../lib/broker/transactions/coordinator.ts';
import { FileTxnStore, memoryTxnStore, type TxnStore } from '../../../lib/broker/transactions/txn-store.ts';

interface Fixture { topics: TopicStore; groups: GroupCoordinator; txn: TransactionCoordinator; clock: { now: number } }

function fixture(opts: { topics?: TopicStore; store?: TxnStore } = {}): Fixture {
  const topics = opts.topics ?? new TopicStore();
  if (!topics.get('t')) topics.create('t', 2);
  const groups = new GroupCoordinator({ minSessionTimeoutMs: 1000, initialRebalanceDelayMs: 0 });
  let next = 1000;
  const clock = { now: 1_000_000 };
  const txn = new TransactionCoordinator({
    topics, groups, store: opts.store ?? memoryTxnStore(), allocateProducerId: () => next++, now: () => clock.now, maxTimeoutMs: 60_000,
  });
  return { topics, groups, txn, clock };
}

/** Appends a transactional data batch as the Produce path would (after verifyProduce). */
function produce(f: Fixture, partition: number, producerId: number, producerEpoch: number, baseSequence: number, value = 'v'): number {
  const bytes = encodeBatch({
    baseOffset: 0, baseTimestamp: 1, maxTimestamp: 1, lastOffsetDelta: 0, producerId, producerEpoch, baseSequence, transactional: true,
    records: [{ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from(value), headers: [] }],
  });
  const verified = f.txn.verifyProduce({ transactionalId: 'tx', producerId, producerEpoch, topic: 't', partition });
  if (verified !== ErrorCode.NONE) return verified;
  const r = f.topics.get('t')!.partitions[partition]!.append(bytes, readBatchHeader(bytes));
  return r.kind === 'rejected' ? r.errorCode : ErrorCode.NONE;
}

function init(f: Fixture, timeoutMs = 10_000): { producerId: number; producerEpoch: number } {
  const r = f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: timeoutMs });
  if (r.kind !== 'ok') throw new Error(`init failed with ${r.errorCode}`);
  return r;
}

const markers = (f: Fixture, partition: number) => f.topics.get('t')!.partitions[partition]!.snapshot()
  .map((b) => ({ h: readBatchHeader(b.bytes), b }))
  .filter(({ h }) => isControl(h))
  .map(({ h, b }) => ({ offset: h.baseOffset, producerEpoch: h.producerEpoch, type: controlTypeOf(b.bytes) === 1 ? 'commit' : 'abort' }));

const both = [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }];

test('InitProducerId gives a new transactional id epoch 0 and bumps the epoch on each init', () => {
  const f = fixture();
  const a = init(f);
  const b = init(f);
  assert.is(a.producerEpoch, 0);
  assert.is(b.producerId, a.producerId);
  assert.is(b.producerEpoch, 1);
  assert.is(f.txn.describe('tx')?.state, 'Empty');
});

test('InitProducerId v3 with the current id and epoch re-inits; a stale epoch is PRODUCER_FENCED (KIP-360)', () => {
  const f = fixture();
  const a = init(f);
  const b = init(f); // another instance took over: epoch a.producerEpoch + 1
  const stale = f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 10_000, expected: a });
  assert.equal(stale, { kind: 'error', errorCode: ErrorCode.PRODUCER_FENCED });
  const resumed = f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 10_000, expected: b });
  assert.equal(resumed, { kind: 'ok', producerId: b.producerId, producerEpoch: b.producerEpoch + 1 });
});

test('a transaction timeout above the broker maximum or not positive is refused', () => {
  const f = fixture();
  assert.equal(f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_001 }), { kind: 'error', errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT });
  assert.equal(f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 0 }), { kind: 'error', errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT });
  assert.is(f.txn.describe('tx'), undefined);
});

test('AddPartitionsToTxn starts a transaction that holds back the last stable offset', () => {
  const f = fixture();
  const id = init(f);
  assert.equal(f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: both }).map((e) => e.errorCode), [0, 0]);
  assert.is(f.txn.describe('tx')?.state, 'Ongoing');
  assert.is(produce(f, 0, id.producerId, id.producerEpoch, 0), ErrorCode.NONE);
  const log = f.topics.get('t')!.partitions[0]!;
  assert.is(log.nextOffset, 1);
  assert.is(log.lastStableOffset, 0);
});

test('an unknown partition fails the whole AddPartitionsToTxn request', () => {
  const f = fixture();
  const id = init(f);
  const errors = f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 9 }] });
  assert.equal(errors.map((e) => e.errorCode), [ErrorCode.OPERATION_NOT_ATTEMPTED, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  assert.is(f.txn.describe('tx')?.state, 'Empty');
});

test('a transactional batch into a partition not added to the transaction is refused', () => {
  const f = fixture();
  const id = init(f);
  f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: [{ topic: 't', partition: 0 }] });
  assert.is(produce(f, 1, id.producerId, id.producerEpoch, 0), ErrorCode.INVALID_TXN_STATE);
});

test('EndTxn commit writes a commit marker to every partition and moves the LSO to the end', async () => {
  const f = fixture();
  const id = init(f);
  f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: both });
  produce(f, 0, id.producerId, id.producerEpoch, 0);
  produce(f, 1, id.producerId, id.producerEpoch, 0);
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true }), ErrorCode.NONE);
  assert.equal(markers(f, 0), [{ offset: 1, producerEpoch: 0, type: 'commit' }]);
  assert.equal(markers(f, 1), [{ offset: 1, producerEpoch: 0, type: 'commit' }]);
  assert.is(f.topics.get('t')!.partitions[0]!.lastStableOffset, 2);
  assert.is(f.txn.describe('tx')?.state, 'CompleteCommit');
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true }), ErrorCode.NONE, 'a retried commit succeeds');
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: false }), ErrorCode.INVALID_TXN_STATE);
});

test('EndTxn abort writes abort markers and lists the transaction as aborted', async () => {
  const f = fixture();
  const id = init(f);
  f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: both });
  produce(f, 0, id.producerId, id.producerEpoch, 0);
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: false }), ErrorCode.NONE);
  assert.equal(markers(f, 0).map((m) => m.type), ['abort']);
  assert.equal(f.topics.get('t')!.partitions[0]!.txns.abortedIn(0, 2), [{ producerId: id.producerId, firstOffset: 0, lastOffset: 1 }]);
  assert.is(f.txn.describe('tx')?.state, 'CompleteAbort');
});

test('EndTxn without a transaction is INVALID_TXN_STATE', async () => {
  const f = fixture();
  const id = init(f);
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true }), ErrorCode.INVALID_TXN_STATE);
});

test('a new InitProducerId aborts the ongoing transaction under the new epoch and fences the old one', async () => {
  const f = fixture();
  const old = init(f);
  f.txn.addPartitions({ transactionalId: 'tx', ...old, partitions: both });
  produce(f, 0, old.producerId, old.producerEpoch, 0);
  const fresh = init(f);
  assert.is(fresh.producerEpoch, 1);
  assert.equal(markers(f, 0), [{ offset: 1, producerEpoch: 1, type: 'abort' }]);
  assert.is(f.topics.get('t')!.partitions[0]!.lastStableOffset, 2);
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...old, commit: true }), ErrorCode.PRODUCER_FENCED);
  assert.equal(f.txn.addPartitions({ transactionalId: 'tx', ...old, partitions: both }).map((e) => e.errorCode), [ErrorCode.PRODUCER_FENCED, ErrorCode.PRODUCER_FENCED]);
  // The old epoch's batches are refused by the partition too (the marker raised its epoch).
  f.txn.addPartitions({ transactionalId: 'tx', ...fresh, partitions: both });
  assert.is(produce(f, 0, old.producerId, old.producerEpoch, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.is(produce(f, 0, fresh.producerId, fresh.producerEpoch, 0), ErrorCode.NONE);
});

test('a wrong producer id is INVALID_PRODUCER_ID_MAPPING', () => {
  const f = fixture();
  const id = init(f);
  assert.is(f.txn.addOffsets({ transactionalId: 'tx', producerId: id.producerId + 1, producerEpoch: 0, groupId: 'g' }), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
});

test('an ongoing transaction past its timeout is aborted by expire and its producer fenced', async () => {
  const f = fixture();
  const id = init(f, 5000);
  f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: [{ topic: 't', partition: 0 }] });
  produce(f, 0, id.producerId, id.producerEpoch, 0);
  f.clock.now += 4000;
  assert.is(f.txn.expire(f.clock.now), 0, 'not yet');
  f.clock.now += 2000;
  assert.is(f.txn.expire(f.clock.now), 1);
  assert.equal(markers(f, 0), [{ offset: 1, producerEpoch: 1, type: 'abort' }]);
  assert.is(f.txn.describe('tx')?.state, 'CompleteAbort');
  assert.is(await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true }), ErrorCode.PRODUCER_FENCED);
});

test('offsets of TxnOffsetCommit reach the group only when the transaction commits', async () => {
  const f = fixture();
  const id = init(f);
  const commit = (offset: number) => f.txn.txnOffsetCommit({
    transactionalId: 'tx', ...id, groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null,
    offsets: [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: null }],
  });
  assert.equal(commit(5).map((e) => e.errorCode), [ErrorCode.INVALID_TXN_STATE], 'the group must be added first');
  assert.is(f.txn.addOffsets({ transactionalId: 'tx', ...id, groupId: 'g' }), ErrorCode.NONE);
  assert.equal(commit(5).map((e) => e.errorCode), [ErrorCode.NONE]);
  const committed = () => f.groups.fetchOffsets('g', [{ topic: 't', partition: 0 }]).partitions[0]!.offset;
  assert.is(committed(), -1);
  await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true });
  assert.is(committed(), 5);
  f.txn.addOffsets({ transactionalId: 'tx', ...id, groupId: 'g' });
  commit(9);
  await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: false });
  assert.is(committed(), 5, 'an aborted transaction leaves the committed offset');
});

test('TxnOffsetCommit with group metadata (v3, KIP-447) needs the current member and generation', async () => {
  const f = fixture();
  const { join } = await stableSingle(f.groups);
  const id = init(f);
  f.txn.addOffsets({ transactionalId: 'tx', ...id, groupId: 'g' });
  const commit = (generationId: number, memberId: string) => f.txn.txnOffsetCommit({
    transactionalId: 'tx', ...id, groupId: 'g', generationId, memberId, groupInstanceId: null,
    offsets: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null }],
  })[0]!.errorCode;
  assert.is(commit(join.generationId + 1, join.memberId), ErrorCode.ILLEGAL_GENERATION);
  assert.is(commit(join.generationId, 'someone-else'), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.is(commit(join.generationId, join.memberId), ErrorCode.NONE);
});

test('an offset held by an unfinished transaction is pending until the transaction ends (require_stable)', async () => {
  const f = fixture();
  const id = init(f);
  f.txn.addOffsets({ transactionalId: 'tx', ...id, groupId: 'g' });
  f.txn.txnOffsetCommit({
    transactionalId: 'tx', ...id, groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null,
    offsets: [{ topic: 't', partition: 1, offset: 3, leaderEpoch: -1, metadata: null }],
  });
  assert.ok(f.txn.hasPendingOffset('g', 't', 1));
  assert.not.ok(f.txn.hasPendingOffset('g', 't', 0), 'another partition');
  assert.not.ok(f.txn.hasPendingOffset('other', 't', 1), 'another group');
  await f.txn.endTxn({ transactionalId: 'tx', ...id, commit: true });
  assert.not.ok(f.txn.hasPendingOffset('g', 't', 1));
});

test('after a restart an ongoing transaction is aborted and a prepared commit completed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'txn-coord-'));
  try {
    const topics = new TopicStore(dir);
    const store = new FileTxnStore(join(dir, 'transactions'));
    const f = fixture({ topics, store });
    const id = init(f);
    f.txn.addPartitions({ transactionalId: 'tx', ...id, partitions: both });
    produce(f, 0, id.producerId, id.producerEpoch, 0);
    topics.close();
    // "Crash": a new store and coordinator over the same files.
    const topics2 = new TopicStore(dir);
    assert.is(topics2.get('t')!.partitions[0]!.lastStableOffset, 0, 'the log alone still has it open');
    const f2 = fixture({ topics: topics2, store: new FileTxnStore(join(dir, 'transactions')) });
    assert.equal(markers(f2, 0), [{ offset: 1, producerEpoch: 1, type: 'abort' }]);
    assert.is(topics2.get('t')!.partitions[0]!.lastStableOffset, 2);
    assert.equal(f2.txn.describe('tx')?.state, 'CompleteAbort');
    assert.is(f2.txn.describe('tx')?.producerEpoch, 1);
    topics2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PrepareCommit found at start-up is completed with commit markers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'txn-coord-'));
  try {
    const topics = new TopicStore(dir);
    topics.create('t', 2);
    const bytes = encodeBatch({
      baseOffset: 0, baseTimestamp: 1, maxTimestamp: 1, lastOffsetDelta: 0, producerId: 77, producerEpoch: 3, baseSequence: 0, transactional: true,
      records: [{ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from('v'), headers: [] }],
    });
    topics.get('t')!.partitions[1]!.append(bytes, readBatchHeader(bytes));
    topics.close();
    // What a crash between saving PrepareCommit and writing the markers leaves.
    new FileTxnStore(join(dir, 'transactions')).save([{
      transactionalId: 'tx', producerId: 77, producerEpoch: 3, timeoutMs: 10_000, state: 'PrepareCommit',
      partitions: [{ topic: 't', partition: 1 }], pendingOffsets: [], startedAt: 1, lastUpdate: 1,
    }]);
    const reopened = new TopicStore(dir);
    const f = fixture({ topics: reopened, store: new FileTxnStore(join(dir, 'transactions')) });
    assert.equal(markers(f, 1), [{ offset: 1, producerEpoch: 3, type: 'commit' }]);
    assert.is(f.txn.describe('tx')?.state, 'CompleteCommit');
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
