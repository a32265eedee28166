// The Produce request encoder that replaces kafkajs's own (lib/runtime/produce-request.ts) must
// write the very bytes kafkajs 2.2.4 writes, for every shape of message the collector or a user
// producer hands it; kafkajs's original request module, kept aside at the swap, is the reference.
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installProduceEncoder, kafkajsProduceRequest, type ProduceArgs } from '../../lib/runtime/produce-request.ts';
import { decodeRecords, splitBatches } from '../../lib/broker/protocol/records.ts';

const require = createRequire(import.meta.url);
const installed = installProduceEncoder();
const requestOf = (v: number) => require(`kafkajs/src/protocol/requests/produce/v${v}/request.js`) as (a: ProduceArgs) => { apiVersion: number; encode(): Promise<{ buffer: Buffer }> };
const bytes = async (build: (a: ProduceArgs) => { encode(): Promise<unknown> }, args: ProduceArgs) => ((await build(args).encode()) as { buffer: Buffer }).buffer;

const big = Buffer.alloc(3000, 7); // over the native CRC's 256-byte threshold
const args: ProduceArgs = {
  acks: -1, timeout: 30000,
  topicData: [
    { topic: 'results', partitions: [
      { partition: 0, messages: [
        { key: Buffer.from('k0'), value: Buffer.from('v0'), timestamp: '1700000000000' },
        { key: null, value: 'a string value', timestamp: '1700000000250', headers: { h: 'x', bytes: Buffer.from([0, 1, 2]) } },
        { key: 'string key', value: null, timestamp: '1700000000100', headers: { many: ['one', Buffer.from('two')] } },
      ] },
      { partition: 3, messages: [{ key: Buffer.from('big'), value: big, timestamp: '1700000009999' }] },
    ] },
    { topic: 'app-counts-changelog', partitions: [
      { partition: 1, messages: Array.from({ length: 300 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.from(String(i * 31)), timestamp: String(1700000000000 + i * 1000) })) },
    ] },
  ],
};

test('the replacement is installed for kafkajs 2.2.4', () => {
  assert.ok(installed);
  for (const v of [3, 4, 5, 6, 7]) {
    assert.ok(kafkajsProduceRequest(v), `v${v} kept`);
    assert.is.not(requestOf(v), kafkajsProduceRequest(v), `v${v} swapped`);
    assert.is(requestOf(v)(args).apiVersion, v);
  }
});

test('a request of keys, values, headers, several partitions and a 3 kB value is byte for byte kafkajs\'s, in every version', async () => {
  for (const v of [3, 4, 5, 6, 7]) {
    const ours = await bytes(requestOf(v), args);
    const theirs = await bytes(kafkajsProduceRequest(v)!, args);
    assert.is(ours.length, theirs.length, `v${v} length`);
    assert.ok(ours.equals(theirs), `v${v} bytes`);
  }
});

test('a transactional request (producer id as kafkajs keeps it, epoch, sequence) is byte for byte kafkajs\'s', async () => {
  const txn: ProduceArgs = {
    ...args, transactionalId: 'app-0_1', producerId: '4294967301', producerEpoch: 3,
    topicData: args.topicData.map((t) => ({ ...t, partitions: t.partitions.map((p, i) => ({ ...p, firstSequence: 17 * (i + 1) })) })),
  };
  const ours = await bytes(requestOf(7), txn);
  assert.ok(ours.equals(await bytes(kafkajsProduceRequest(7)!, txn)));
});

test('the batches it writes pass the broker\'s CRC check and read back as sent', async () => {
  const body = await bytes(requestOf(7), args);
  // transactional_id (null: 2) acks (2) timeout (4) topics (4), then 'results' (2 + 7) and its partition count (4).
  let at = 2 + 2 + 4 + 4 + 2 + 7 + 4;
  const partition0 = body.readInt32BE(at);
  const size = body.readInt32BE(at + 4);
  at += 8;
  const [batch] = splitBatches(body.subarray(at, at + size));
  assert.is(partition0, 0);
  const records = decodeRecords(batch!.bytes, batch!.header);
  assert.equal(records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestampDelta]), [['k0', 'v0', 0], [null, 'a string value', 250], ['string key', null, 100]]);
  assert.equal(records[1]!.headers.map((h) => [h.key, [...h.value!]]), [['h', [...Buffer.from('x')]], ['bytes', [0, 1, 2]]]);
  assert.is(batch!.header.maxTimestamp, 1700000000250);
});

test('a compressed request is left to kafkajs', async () => {
  const gzip = { ...args, compression: 1 };
  const ours = requestOf(7)(gzip);
  assert.is(ours.apiVersion, 7);
  // kafkajs's own gzip encoding differs run to run only in the gzip header's bytes: compare lengths.
  assert.is((await ours.encode()).buffer.length, (await bytes(kafkajsProduceRequest(7)!, gzip)).length);
});

test.run();
