// The broker's transactionVersion option on the wire: at 2 (the default) ApiVersions offers the
// KIP-890 part 2 versions and finalizes transaction.version 2 in its feature tags; at 1 it
// advertises the pre-4.0 transaction versions with no feature tags, and refuses EndTxn v5.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { Reader } from '../../lib/broker/protocol/reader.ts';
import type { TransactionVersion } from '../../lib/broker/handlers/transaction-version.ts';
import { flexibleRequestFrame, rawClient } from './raw-client.ts';
import { bool, cat, cstr, i16, i64, tags } from './handlers/golden.ts';

const TXN_APIS = [0, 24, 26, 28];

interface Advertised { maxVersions: Map<number, number>; tags: Map<number, Buffer> }

async function advertised(broker: RunningBroker): Promise<Advertised> {
  const c = await rawClient(broker.port);
  c.send(flexibleRequestFrame(18, 4, 1, cat(cstr('tv-test'), cstr('1.0'), tags())));
  const r = new Reader(await c.nextFrame());
  c.close();
  r.int32();
  assert.is(r.int16(), 0);
  const maxVersions = new Map<number, number>();
  r.compactArray((r) => { const key = r.int16(); r.int16(); maxVersions.set(key, r.int16()); r.taggedFields(); });
  r.int32();
  const found = new Map<number, Buffer>();
  r.taggedFields((tag, r) => void found.set(tag, Buffer.from(r.raw(r.remaining))));
  return { maxVersions, tags: found };
}

async function withBroker<T>(transactionVersion: TransactionVersion | undefined, fn: (b: RunningBroker) => Promise<T>): Promise<T> {
  const b = await startBroker({ port: 0, ...(transactionVersion ? { transactionVersion } : {}) });
  try { return await fn(b); } finally { await b.stop(); }
}

test('by default the broker offers Produce v13 (v12 and up add partitions implicitly), AddPartitionsToTxn v5, EndTxn v5, TxnOffsetCommit v5 and finalizes transaction.version 2', async () => {
  const a = await withBroker(undefined, advertised);
  assert.equal(TXN_APIS.map((k) => a.maxVersions.get(k)), [13, 5, 5, 5]);
  assert.equal([...a.tags.keys()], [0, 1, 2]);
  assert.is(a.tags.get(1)!.readBigInt64BE(), 1n, 'a finalized features epoch clients trust (>= 0)');
  const finalized = new Reader(a.tags.get(2)!).compactArray((r) => { const f = { name: r.compactString(), max: r.int16(), min: r.int16() }; r.taggedFields(); return f; });
  assert.equal(finalized, [{ name: 'transaction.version', max: 2, min: 2 }]);
});

test('at transaction.version 1 the transaction APIs stop below KIP-890 part 2 and no feature is advertised', async () => {
  const a = await withBroker(1, advertised);
  assert.equal(TXN_APIS.map((k) => a.maxVersions.get(k)), [11, 3, 4, 4]);
  assert.is(a.tags.size, 0);
});

test('at transaction.version 1 an EndTxn v5 is refused by closing the connection', async () => {
  await withBroker(1, async (b) => {
    const c = await rawClient(b.port);
    c.send(flexibleRequestFrame(26, 5, 1, cat(cstr('tx'), i64(1), i16(0), bool(true), tags())));
    assert.ok(await c.closed(), 'the broker closed the connection');
  });
});

test.run();
