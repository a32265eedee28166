// Transaction version 2 (KIP-890 part 2) in the coordinator, on real partition logs and a real
// group coordinator: a transactional batch adds its own partition (Produce v12), TxnOffsetCommit
// v5 adds its own group, EndTxn v5 bumps the epoch at every end (markers under the new epoch)
// and recognises its own retry, and AddPartitionsToTxn v4's verify_only changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GroupCoordinator } from '../../../lib/broker/groups/coordinator.ts';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';
import { controlTypeOf, encodeBatch, isControl, readBatchHeader } from '../../../lib/broker/protocol/records.ts';
import { TopicStore } from '../../../lib/broker/storage/topic-store.ts';
import { TransactionCoordinator } from '../../../lib/broker/transactions/coordinator.ts';
import { memoryTxnStore } from '../../../lib/broker/transactions/txn-store.ts';

interface Fixture { topics: TopicStore; groups: GroupCoordinator; txn: TransactionCoordinator }

function fixture(): Fixture {
  const topics = new TopicStore();
  topics.create('t', 2);
  const groups = new GroupCoordinator({ minSessionTimeoutMs: 1000, initialRebalanceDelayMs: 0 });
  let next = 1000;
  const txn = new TransactionCoordinator({ topics, groups, store: memoryTxnStore(), allocateProducerId: () => next++, maxTimeoutMs: 60_000 });
  return { topics, groups, txn };
}

function init(f: Fixture): { producerId: number; producerEpoch: number } {
  const r = f.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 10_000 });
  if (r.kind !== 'ok') throw new Error(`init failed with ${r.errorCode}`);
  return r;
}

/** A transactional batch through the Produce path: verification (v12 adds the partition), then the append. */
function produce(f: Fixture, partition: number, id: { producerId: number; producerEpoch: number }, baseSequence: number, implicitAdd = true): number {
  const bytes = encodeBatch({
    baseOffset: 0, baseTimestamp: 1, maxTimestamp: 1, lastOffsetDelta: 0, ...id, baseSequence, transactional: true,
    records: [{ offsetDelta: 0, timestampDelta: 0, key: null, value: Buffer.from('v'), headers: [] }],
  });
  const verified = f.txn.verifyProduce({ transactionalId: 'tx', ...id, topic: 't', partition, implicitAdd });
  if (verified !== ErrorCode.NONE) return verified;
  const r = f.topics.get('t')!.partitions[partition]!.append(bytes, readBatchHeader(bytes));
  return r.kind === 'rejected' ? r.errorCode : ErrorCode.NONE;
}

const markers = (f: Fixture, partition: number) => f.topics.get('t')!.partitions[partition]!.snapshot()
  .map((b) => ({ h: readBatchHeader(b.bytes), b }))
  .filter(({ h }) => isControl(h))
  .map(({ h, b }) => ({ producerEpoch: h.producerEpoch, type: controlTypeOf(b.bytes) === 1 ? 'commit' : 'abort' }));

test('a v12 batch adds its partition and starts the transaction; a v11 batch still needs AddPartitionsToTxn', () => {
  const f = fixture();
  const id = init(f);
  assert.is(produce(f, 0, id, 0, false), ErrorCode.INVALID_TXN_STATE);
  assert.is(produce(f, 0, id, 0), ErrorCode.NONE);
  assert.is(produce(f, 1, id, 0), ErrorCode.NONE);
  const d = f.txn.describe('tx')!;
  assert.is(d.state, 'Ongoing');
  assert.equal(d.partitions, [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
});

test('EndTxn v5 writes the markers under the bumped epoch and answers it; the old epoch is fenced after', async () => {
  const f = fixture();
  const id = init(f);
  produce(f, 0, id, 0);
  const r = await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true });
  assert.equal(r, { errorCode: ErrorCode.NONE, producerId: id.producerId, producerEpoch: id.producerEpoch + 1 });
  assert.equal(markers(f, 0), [{ producerEpoch: id.producerEpoch + 1, type: 'commit' }]);
  assert.is(produce(f, 0, id, 1), ErrorCode.INVALID_PRODUCER_EPOCH, 'a late batch of the ended transaction');
  const next = { producerId: r.producerId, producerEpoch: r.producerEpoch };
  assert.is(produce(f, 0, next, 0), ErrorCode.NONE, 'the next transaction starts at sequence 0 under the new epoch');
  const r2 = await f.txn.endTxnBumping({ transactionalId: 'tx', ...next, commit: false });
  assert.is(r2.producerEpoch, id.producerEpoch + 2);
  assert.equal(markers(f, 0).map((m) => m.type), ['commit', 'abort']);
});

test('a retried EndTxn v5 (the old epoch, the same outcome) gets the same answer; the other outcome is refused', async () => {
  const f = fixture();
  const id = init(f);
  produce(f, 0, id, 0);
  const first = await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true });
  assert.equal(await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true }), first);
  assert.is((await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: false })).errorCode, ErrorCode.INVALID_TXN_STATE);
  assert.is(markers(f, 0).length, 1, 'one marker, not one per retry');
});

test('EndTxn v5 aborts a transaction nothing was added to, bumping the epoch and writing no marker; a commit of one is refused', async () => {
  const f = fixture();
  const id = init(f);
  assert.is((await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true })).errorCode, ErrorCode.INVALID_TXN_STATE);
  const r = await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: false });
  assert.equal(r, { errorCode: ErrorCode.NONE, producerId: id.producerId, producerEpoch: id.producerEpoch + 1 });
  assert.is(f.txn.describe('tx')!.state, 'CompleteAbort');
  assert.equal([...markers(f, 0), ...markers(f, 1)], []);
});

test('when EndTxn v5 uses up the epochs the producer goes on under a new producer id at epoch 0', async () => {
  const f = fixture();
  let id = init(f);
  const first = id.producerId;
  while (id.producerEpoch < 32765) {
    const r = await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: false });
    id = { producerId: r.producerId, producerEpoch: r.producerEpoch };
  }
  produce(f, 0, id, 0);
  const last = await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true });
  assert.is(last.errorCode, ErrorCode.NONE);
  assert.is.not(last.producerId, first);
  assert.is(last.producerEpoch, 0);
  assert.equal(markers(f, 0), [{ producerEpoch: 32766, type: 'commit' }], 'the markers close the old id under its last epoch');
  assert.is(produce(f, 0, last, 0), ErrorCode.NONE, 'the new id produces');
});

test('TxnOffsetCommit v5 adds its group itself; the offsets reach the group on commit only', async () => {
  const f = fixture();
  const id = init(f);
  const commit = (offset: number, implicitAddOffsets: boolean) => f.txn.txnOffsetCommit({
    transactionalId: 'tx', ...id, groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, implicitAddOffsets,
    offsets: [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: null }],
  }).map((e) => e.errorCode);
  assert.equal(commit(5, false), [ErrorCode.INVALID_TXN_STATE], 'v4 still needs AddOffsetsToTxn');
  assert.equal(commit(5, true), [ErrorCode.NONE]);
  const committed = () => f.groups.fetchOffsets('g', [{ topic: 't', partition: 0 }]).partitions[0]!.offset;
  assert.is(committed(), -1);
  await f.txn.endTxnBumping({ transactionalId: 'tx', ...id, commit: true });
  assert.is(committed(), 5);
});

test('AddPartitionsToTxn v4 verify_only reports which partitions are in the transaction and adds none', () => {
  const f = fixture();
  const id = init(f);
  produce(f, 0, id, 0);
  const r = f.txn.verifyPartitions({ transactionalId: 'tx', ...id, partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }] });
  assert.equal(r.map((e) => e.errorCode), [ErrorCode.NONE, ErrorCode.INVALID_TXN_STATE]);
  assert.equal(f.txn.describe('tx')!.partitions, [{ topic: 't', partition: 0 }]);
  const stale = f.txn.verifyPartitions({ transactionalId: 'tx', producerId: id.producerId, producerEpoch: id.producerEpoch + 1, partitions: [{ topic: 't', partition: 0 }] });
  assert.equal(stale.map((e) => e.errorCode), [ErrorCode.PRODUCER_FENCED]);
});

test.run();
