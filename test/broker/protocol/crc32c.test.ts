// The native CRC-32C path must give the same checksums as the table implementation over
// every length and offset a record batch can have, including around the switch-over size.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { crc32c, crc32cIsNative, crc32cPortable } from '../../../lib/broker/protocol/crc32c.ts';
import { CorruptBatchError, encodeBatch, splitBatches } from '../../../lib/broker/protocol/records.ts';

test('the native implementation loads on this platform (linux x64/arm64 have prebuilt binaries)', () => {
  if (process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64')) assert.ok(crc32cIsNative);
});

test('the table implementation matches the RFC 3720 check values', () => {
  assert.is(crc32cPortable(Buffer.from('123456789')), 0xe3069283);
  assert.is(crc32cPortable(Buffer.alloc(32)), 0x8a9136aa);
  assert.is(crc32cPortable(Buffer.alloc(32, 0xff)), 0x62a8ab43);
});

test('crc32c agrees with the table implementation for lengths 0..2100 at odd offsets', () => {
  const buf = randomBytes(4200);
  for (let len = 0; len <= 2100; len += len < 300 ? 1 : 37) {
    for (const start of [0, 1, 21, 1000]) {
      const end = start + len;
      assert.is(crc32c(buf, start, end), crc32cPortable(buf, start, end), `len ${len} start ${start}`);
    }
  }
});

test('crc32c over a subarray equals crc32c over the same range of its parent', () => {
  const buf = randomBytes(300_000);
  const part = buf.subarray(12_345, 290_001);
  assert.is(crc32c(part), crc32c(buf, 12_345, 290_001));
  assert.is(crc32c(part), crc32cPortable(part));
});

test('checksums are unsigned 32-bit integers', () => {
  for (let i = 0; i < 200; i++) {
    const v = crc32c(randomBytes(512));
    assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, String(v));
  }
});

test('a large batch (checked by the native path) with one flipped bit is rejected, and intact it passes', () => {
  const value = randomBytes(4096);
  const batch = encodeBatch({
    baseOffset: 0, baseTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_000, lastOffsetDelta: 1,
    records: [0, 1].map((i) => ({ offsetDelta: i, timestampDelta: 0, key: null, value, headers: [] })),
  });
  assert.ok(batch.length > 8000);
  assert.is(splitBatches(batch).length, 1);
  const at = 61 + Math.floor((batch.length - 61) / 2);
  batch[at] = batch[at]! ^ 0x10;
  assert.throws(() => splitBatches(batch), (e: unknown) => e instanceof CorruptBatchError);
});

test.run();
