// Record batch v2 against a batch assembled byte by byte from the spec's layout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gzipSync } from 'node:zlib';
import { crc32c } from '../../../lib/broker/protocol/crc32c.ts';
import { decodeRecords, encodeBatch, readBatchHeader, splitBatches, stampBatch, CorruptBatchError } from '../../../lib/broker/protocol/records.ts';
import { cat, i16, i32, i64, i8 } from '../handlers/golden.ts';

// One record: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
// key (varint len + bytes), value (varint len + bytes), headers count varint, each header
// key (varint len + utf8) and value (varint len + bytes). Zig-zag: n ≥ 0 → 2n, -1 → 1.
const rec0 = Buffer.from([0x00, 0x00, 0x00, 0x02, 0x6b, 0x02, 0x76, 0x00]); // key 'k', value 'v', no headers
const rec1 = Buffer.from([0x00, 0x14, 0x02, 0x01, 0x02, 0x61, 0x02, 0x02, 0x68, 0x02, 0x78]); // ts +10, offset 1, null key, 'a', header h=x
const records = cat(Buffer.from([rec0.length * 2]), rec0, Buffer.from([rec1.length * 2]), rec1);

function golden(attributes: number, body: Buffer): Buffer {
  const afterCrc = cat(i16(attributes), i32(1), i64(1000), i64(1010), i64(-1), i16(-1), i32(-1), i32(2), body);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(afterCrc));
  const afterLength = cat(i32(0), i8(2), crc, afterCrc);
  return cat(i64(0), i32(afterLength.length), afterLength);
}

test('a spec-built batch reads back its header and records', () => {
  const batch = golden(0, records);
  const [{ header }] = splitBatches(batch) as [ReturnType<typeof splitBatches>[0]];
  assert.equal([header.size, header.lastOffsetDelta, header.baseTimestamp, header.maxTimestamp, header.recordCount], [batch.length, 1, 1000, 1010, 2]);
  const recs = decodeRecords(batch);
  assert.equal(recs.map((r) => [r.offsetDelta, r.timestampDelta, r.key?.toString() ?? null, r.value?.toString()]), [[0, 0, 'k', 'v'], [1, 10, null, 'a']]);
  assert.is(recs[1]!.headers[0]!.key, 'h');
  assert.is(recs[1]!.headers[0]!.value!.toString(), 'x');
});

test('encodeBatch produces the spec-built bytes', () => {
  const batch = golden(0, records);
  const again = encodeBatch({ baseOffset: 0, baseTimestamp: 1000, maxTimestamp: 1010, lastOffsetDelta: 1, records: decodeRecords(batch) });
  assert.is(again.toString('hex'), batch.toString('hex'));
});

test('gzip batches (attributes codec 1) decode', () => {
  const batch = golden(1, gzipSync(records));
  assert.equal(decodeRecords(batch).map((r) => r.value?.toString()), ['v', 'a']);
});

test('rewriting baseOffset and partitionLeaderEpoch keeps the CRC valid (it starts at attributes)', () => {
  const batch = golden(0, records);
  stampBatch(batch, 12345, 7);
  const [{ header }] = splitBatches(batch) as [ReturnType<typeof splitBatches>[0]];
  assert.is(header.baseOffset, 12345);
  assert.is(batch.readInt32BE(12), 7);
});

test('a flipped byte after the CRC is rejected', () => {
  const batch = golden(0, records);
  batch[batch.length - 1] = batch[batch.length - 1]! ^ 1;
  assert.throws(() => splitBatches(batch), (e: unknown) => e instanceof CorruptBatchError);
});

test('magic 0/1 message sets are rejected', () => {
  const batch = golden(0, records);
  batch[16] = 1;
  assert.throws(() => readBatchHeader(batch), (e: unknown) => e instanceof CorruptBatchError);
});

test('a batch overrunning the record set is rejected', () => {
  const batch = golden(0, records);
  assert.throws(() => splitBatches(batch.subarray(0, batch.length - 1)), (e: unknown) => e instanceof CorruptBatchError);
});

test.run();
