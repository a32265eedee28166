// A partition's transaction bookkeeping: the last stable offset, the aborted transactions a
// read_committed fetch lists, their rebuild from disk, and compaction around transactions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecords, encodeBatch, isControl, isTransactional, readBatchHeader } from '../../../lib/broker/protocol/records.ts';
import { compactBatches, txnsOf } from '../../../lib/broker/storage/compaction.ts';
import { PartitionLog } from '../../../lib/broker/storage/partition-log.ts';
import { TopicStore } from '../../../lib/broker/storage/topic-store.ts';

const sequences = new WeakMap<PartitionLog, Map<number, number>>();

/** A batch of keyed records from `producerId` (transactional unless producerId is -1). */
function append(log: PartitionLog, producerId: number, entries: [string, string][]): void {
  let seq = sequences.get(log);
  if (!seq) sequences.set(log, (seq = new Map()));
  const baseSequence = producerId < 0 ? -1 : (seq.get(producerId) ?? 0);
  if (producerId >= 0) seq.set(producerId, baseSequence + entries.length);
  const bytes = encodeBatch({
    baseOffset: 0, baseTimestamp: Date.now(), maxTimestamp: Date.now(), lastOffsetDelta: entries.length - 1,
    producerId, producerEpoch: producerId < 0 ? -1 : 0, baseSequence, transactional: producerId >= 0,
    records: entries.map(([k, v], i) => ({ offsetDelta: i, timestampDelta: 0, key: Buffer.from(k), value: Buffer.from(v), headers: [] })),
  });
  const r = log.append(bytes, readBatchHeader(bytes));
  assert.is(r.kind, 'appended');
}

const end = (log: PartitionLog, producerId: number, commit: boolean) =>
  log.appendMarker({ producerId, producerEpoch: 0, commit, coordinatorEpoch: 0, timestamp: Date.now() });

/** committed (pid 1) at 0–1 + marker 2, aborted (pid 2) at 3–4 + marker 5, committed (pid 3) at 6 + marker 7. */
function threeTransactions(log: PartitionLog): void {
  append(log, 1, [['a', 'a1'], ['b', 'b1']]);
  end(log, 1, true);
  append(log, 2, [['a', 'a2'], ['c', 'c2']]);
  end(log, 2, false);
  append(log, 3, [['b', 'b3']]);
  end(log, 3, true);
}

test('an open transaction holds the last stable offset at its first offset', () => {
  const log = new PartitionLog('t', 0);
  append(log, -1, [['x', '1']]);
  append(log, 1, [['a', '1']]);
  append(log, 2, [['b', '1']]);
  assert.is(log.lastStableOffset, 1);
  end(log, 1, true);
  assert.is(log.lastStableOffset, 2, 'now bounded by the second producer');
  end(log, 2, false);
  assert.is(log.lastStableOffset, log.nextOffset);
});

test('only the aborted transaction between two committed ones is listed, for ranges that overlap it', () => {
  const log = new PartitionLog('t', 0);
  threeTransactions(log);
  assert.equal(log.txns.abortedIn(0, 8), [{ producerId: 2, firstOffset: 3, lastOffset: 5 }]);
  assert.equal(log.txns.abortedIn(0, 3), [], 'a range ending before it');
  assert.equal(log.txns.abortedIn(6, 8), [], 'a range starting after its marker');
  assert.equal(log.txns.abortedIn(4, 5), [{ producerId: 2, firstOffset: 3, lastOffset: 5 }]);
});

test('a read_committed read stops below the last stable offset', () => {
  const log = new PartitionLog('t', 0);
  append(log, 1, [['a', '1']]);
  end(log, 1, true);
  append(log, 2, [['b', '1']]);
  append(log, -1, [['c', '1']]);
  const committed = log.read(0, 1 << 20, log.lastStableOffset);
  assert.equal(committed.batches.map((b) => readBatchHeader(b).baseOffset), [0, 1]);
  assert.is(log.read(0, 1 << 20).batches.length, 4);
  assert.is(log.bytesFrom(2, 1 << 20, log.lastStableOffset), 0);
});

test('open and aborted transactions are rebuilt from the log file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'txn-log-'));
  try {
    const store = new TopicStore(dir);
    store.create('t', 1);
    const log = store.get('t')!.partitions[0]!;
    threeTransactions(log);
    append(log, 4, [['d', 'd4']]);
    store.close();
    const again = new TopicStore(dir).get('t')!.partitions[0]!;
    assert.equal(again.txns.abortedIn(0, again.nextOffset), [{ producerId: 2, firstOffset: 3, lastOffset: 5 }]);
    assert.is(again.lastStableOffset, 8);
    assert.equal(again.txns.openProducers(), [4]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compaction drops aborted records, keeps markers and never lets an aborted value win', () => {
  const log = new PartitionLog('t', 0);
  threeTransactions(log);
  const result = compactBatches(log.snapshot(), Date.now(), 60_000, txnsOf(log));
  const live = new Map<string, string>();
  let controls = 0;
  for (const b of result.batches) {
    const h = readBatchHeader(b.bytes);
    if (isControl(h)) { controls++; continue; }
    assert.ok(isTransactional(h), 'rewritten batches stay transactional');
    for (const r of decodeRecords(b.bytes, h)) live.set(String(r.key), String(r.value));
  }
  assert.equal(Object.fromEntries(live), { a: 'a1', b: 'b3' });
  assert.is(controls, 3);
  assert.is(result.removed, 3, 'b1 (superseded) and both aborted records');
});

test('compaction leaves batches from the last stable offset on as they are', () => {
  const log = new PartitionLog('t', 0);
  append(log, -1, [['a', 'old']]);
  append(log, 5, [['a', 'open']]);
  append(log, -1, [['a', 'after']]);
  const result = compactBatches(log.snapshot(), Date.now(), 60_000, txnsOf(log));
  assert.is(result.removed, 0, 'the open transaction and what follows shadow nothing');
  end(log, 5, true);
  const later = compactBatches(log.snapshot(), Date.now(), 60_000, txnsOf(log));
  assert.is(later.removed, 2, 'once committed, the latest value of a wins');
});

test.run();
