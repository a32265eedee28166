// The collector's size arithmetic against kafkajs's own record-batch encoder: what it computes is
// what goes on the wire, so a record is refused client-side exactly when Kafka would refuse it.
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recordSize, singleRecordBatchSize, splitBySize, type SizedRecord } from '../../lib/runtime/record-size.ts';

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: { records: unknown[]; firstTimestamp: number; maxTimestamp: number }) => Promise<Encoded> };
const KafkaRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

/** The bytes kafkajs writes for these records as one batch (offset, length and all). */
async function encodedSize(records: readonly SizedRecord[]): Promise<number> {
  const first = Math.min(...records.map((r) => r.timestamp));
  const batch = await RecordBatch({
    firstTimestamp: first, maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    records: records.map((r, i) => KafkaRecord({
      offsetDelta: i, timestampDelta: r.timestamp - first, key: r.key, value: r.value,
      headers: Object.fromEntries(r.headers.map((h) => [h.key, Buffer.from(h.value)])),
    })),
  });
  return batch.buffer.length;
}

const now = 1_700_000_000_000;
const rec = (key: string | null, valueBytes: number, headers: { [k: string]: string } = {}, timestamp = now): SizedRecord => ({
  key: key === null ? null : Buffer.from(key), value: Buffer.alloc(valueBytes, 1), timestamp,
  headers: Object.entries(headers).map(([k, v]) => ({ key: k, value: Buffer.from(v) })),
});

test('a single-record batch is sized exactly as kafkajs encodes it', async () => {
  for (const r of [rec('k', 10), rec(null, 0), rec('key', 300, { 'modelstream.position': '{"in:0":42}' }), rec('k', 2 * 1024 * 1024, { a: '', b: 'x'.repeat(200) })]) {
    assert.is(singleRecordBatchSize(r), await encodedSize([r]));
  }
});

test('a batch of many records is sized exactly when timestamps are equal, and never under otherwise', async () => {
  const same = Array.from({ length: 50 }, (_, i) => rec(`k${i}`, 100 + i));
  const sum = (rs: SizedRecord[], span: number) => 61 + rs.reduce((n, r, i) => n + recordSize(r, span, i), 0);
  assert.is(sum(same, 0), await encodedSize(same));
  const spread = Array.from({ length: 50 }, (_, i) => rec(`k${i}`, 100, {}, now + i * 100_000));
  assert.ok(sum(spread, 49 * 100_000) >= await encodedSize(spread));
});

test('pieces stay under the limit and the count, keep order, and a record too large alone gets its own piece', async () => {
  const records = Array.from({ length: 30 }, (_, i) => rec(`k${i}`, i === 10 ? 5000 : 900));
  const pieces = splitBySize(records, 4096, 3);
  assert.equal(pieces.flat(), records, 'every record, in order');
  for (const p of pieces) {
    assert.ok(p.length <= 3);
    if (p.length > 1) assert.ok(await encodedSize(p) <= 4096, `a piece of ${p.length} over the limit`);
  }
  assert.ok(pieces.some((p) => p.length === 1 && p[0] === records[10]));
});

test.run();
