// Offsets, reads and the idempotent producer's sequence checks (KIP-98).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PartitionLog } from '../../../lib/broker/storage/partition-log.ts';
import { encodeBatch, readBatchHeader } from '../../../lib/broker/protocol/records.ts';
import { ErrorCode } from '../../../lib/broker/protocol/errors.ts';

function batch(count: number, producer?: { id: number; epoch: number; seq: number }, ts = 1000): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({ offsetDelta: i, timestampDelta: i, key: null, value: Buffer.from(`v${i}`), headers: [] }));
  return encodeBatch({
    baseOffset: 0, baseTimestamp: ts, maxTimestamp: ts + count - 1, lastOffsetDelta: count - 1, records,
    producerId: producer?.id ?? -1, producerEpoch: producer?.epoch ?? -1, baseSequence: producer?.seq ?? -1,
  });
}
const append = (log: PartitionLog, b: Buffer) => log.append(b, readBatchHeader(b));

test('appends get consecutive base offsets and advance the log end', () => {
  const log = new PartitionLog('t', 0);
  assert.equal(append(log, batch(3)), { kind: 'appended', baseOffset: 0 });
  assert.equal(append(log, batch(2)), { kind: 'appended', baseOffset: 3 });
  assert.is(log.nextOffset, 5);
  assert.is(readBatchHeader(log.snapshot()[1]!.bytes).baseOffset, 3, 'the stored batch carries its offset');
});

test('read starts at the batch holding the offset and stops near maxBytes, but returns at least one batch', () => {
  const log = new PartitionLog('t', 0);
  for (let i = 0; i < 4; i++) append(log, batch(2));
  const one = log.snapshot()[0]!.bytes.length;
  assert.is(log.read(3, 10_000).batches.length, 3, 'offset 3 is in the second batch');
  assert.is(log.read(0, one * 2).batches.length, 2);
  assert.is(log.read(0, 1).batches.length, 1);
  assert.is(log.read(8, 10_000).batches.length, 0);
});

test('offsetForTimestamp finds the first record at or after the timestamp', () => {
  const log = new PartitionLog('t', 0);
  append(log, batch(3, undefined, 100));
  append(log, batch(3, undefined, 200));
  assert.equal(log.offsetForTimestamp(101), { offset: 1, timestamp: 101 });
  assert.equal(log.offsetForTimestamp(150), { offset: 3, timestamp: 200 });
  assert.is(log.offsetForTimestamp(999), undefined);
});

test('offsetForTimestamp answers at batch granularity for codecs it cannot decode (snappy)', () => {
  const log = new PartitionLog('t', 0);
  append(log, batch(2, undefined, 100));
  const snappy = batch(3, undefined, 200);
  snappy.writeInt16BE(2, 21); // attributes: codec 2 = snappy (CRC is not checked by append)
  append(log, snappy);
  assert.equal(log.offsetForTimestamp(201), { offset: 2, timestamp: 202 });
});

test('a retried idempotent batch is acknowledged with its first offset and not appended again', () => {
  const log = new PartitionLog('t', 0);
  append(log, batch(2, { id: 9, epoch: 0, seq: 0 }));
  append(log, batch(2, { id: 9, epoch: 0, seq: 2 }));
  assert.equal(append(log, batch(2, { id: 9, epoch: 0, seq: 2 })), { kind: 'duplicate', baseOffset: 2 });
  assert.is(log.nextOffset, 4);
});

test('a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
  const log = new PartitionLog('t', 0);
  append(log, batch(2, { id: 9, epoch: 0, seq: 0 }));
  assert.equal(append(log, batch(1, { id: 9, epoch: 0, seq: 5 })), { kind: 'rejected', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  assert.equal(append(log, batch(1, { id: 10, epoch: 0, seq: 3 })), { kind: 'rejected', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER }, 'a new producer starts at 0');
  assert.is(log.nextOffset, 2);
});

test('an older producer epoch is fenced; a newer one restarts sequences at 0', () => {
  const log = new PartitionLog('t', 0);
  append(log, batch(1, { id: 9, epoch: 1, seq: 0 }));
  assert.equal(append(log, batch(1, { id: 9, epoch: 0, seq: 1 })), { kind: 'rejected', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
  assert.equal(append(log, batch(1, { id: 9, epoch: 2, seq: 0 })), { kind: 'appended', baseOffset: 1 });
});

test.run();
