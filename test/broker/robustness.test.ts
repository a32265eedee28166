// Bad clients lose their own connection only; everyone else keeps being served.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { rawClient, requestFrame } from './raw-client.ts';

let broker: RunningBroker;
let kafka: Kafka;

test.before(async () => {
  broker = await startBroker({ port: 0, maxFrameBytes: 64 * 1024 });
  kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
});
test.after(() => broker.stop());

/** Proves the broker still works for a well-behaved kafkajs client. */
async function healthy(topic: string): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    const [meta] = await p.send({ topic, messages: [{ value: 'still here' }] });
    assert.is(meta!.errorCode, 0);
  } finally {
    await p.disconnect();
  }
}

test('a frame whose header is truncated closes that connection only', async () => {
  const bystander = await rawClient(broker.port);
  const bad = await rawClient(broker.port);
  bad.send(Buffer.from([0, 0, 0, 3, 0, 18, 0])); // 3 bytes cannot hold a request header
  assert.ok(await bad.closed(), 'the malformed client is disconnected');
  bystander.send(requestFrame(18, 0, 1));
  const frame = await bystander.nextFrame();
  assert.is(frame.readInt32BE(0), 1, 'the other connection still gets answers');
  bystander.close();
  await healthy('after-malformed');
});

test('an oversized frame closes the connection before its body arrives', async () => {
  const bad = await rawClient(broker.port);
  const size = Buffer.alloc(4);
  size.writeInt32BE(64 * 1024 + 1);
  bad.send(size);
  assert.ok(await bad.closed(), 'closed on the size prefix alone');
  await healthy('after-oversized');
});

test('a negative frame size closes the connection', async () => {
  const bad = await rawClient(broker.port);
  bad.send(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
  assert.ok(await bad.closed());
});

test('an unknown api key closes the connection, as the real broker does', async () => {
  const bad = await rawClient(broker.port);
  bad.send(requestFrame(999, 0, 5));
  assert.ok(await bad.closed());
});

test('an unsupported Metadata version closes the connection', async () => {
  const bad = await rawClient(broker.port);
  bad.send(requestFrame(3, 99, 5, Buffer.from([0xff, 0xff, 0xff, 0xff])));
  assert.ok(await bad.closed());
});

test('ApiVersions with a too-new version is answered in v0 with UNSUPPORTED_VERSION (KIP-511)', async () => {
  const c = await rawClient(broker.port);
  c.send(requestFrame(18, 6, 42, Buffer.from([0, 0, 0])));
  const f = await c.nextFrame();
  assert.is(f.readInt32BE(0), 42, 'correlation id');
  assert.is(f.readInt16BE(4), 35, 'UNSUPPORTED_VERSION');
  const n = f.readInt32BE(6);
  const entries = Array.from({ length: n }, (_, i) => [f.readInt16BE(10 + i * 6), f.readInt16BE(12 + i * 6), f.readInt16BE(14 + i * 6)]);
  assert.equal(entries.find((e) => e[0] === 18), [18, 0, 5]);
  assert.is(f.length, 10 + n * 6, 'v0 body: no throttle_time_ms');
  c.close();
});

test('a client that disconnects mid-request does not disturb the broker', async () => {
  const bad = await rawClient(broker.port);
  const frame = requestFrame(3, 1, 9, Buffer.from([0xff, 0xff, 0xff, 0xff]));
  bad.send(frame.subarray(0, frame.length - 2));
  bad.close();
  await new Promise((r) => setTimeout(r, 50));
  await healthy('after-disconnect');
});

test('pipelined requests are answered in order even when the first one waits', async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'pipelined' }] });
  await admin.disconnect();
  const c = await rawClient(broker.port);
  // Fetch v4: replica -1, max_wait 300 ms, min_bytes 1, max_bytes 1 MiB, isolation 0,
  // [topic 'pipelined' [partition 0, fetch_offset 0, partition_max_bytes 1 MiB]].
  const name = Buffer.from('pipelined');
  const body = Buffer.alloc(4 * 4 + 1 + 4 + 2 + name.length + 4 + 4 + 8 + 4);
  let o = 0;
  o = body.writeInt32BE(-1, o); o = body.writeInt32BE(300, o); o = body.writeInt32BE(1, o); o = body.writeInt32BE(1 << 20, o);
  o = body.writeInt8(0, o); o = body.writeInt32BE(1, o); o = body.writeInt16BE(name.length, o); o += name.copy(body, o);
  o = body.writeInt32BE(1, o); o = body.writeInt32BE(0, o); o = body.writeBigInt64BE(0n, o); body.writeInt32BE(1 << 20, o);
  c.send(Buffer.concat([requestFrame(1, 4, 100, body), requestFrame(18, 0, 101)]));
  const first = await c.nextFrame();
  const second = await c.nextFrame();
  assert.equal([first.readInt32BE(0), second.readInt32BE(0)], [100, 101]);
  c.close();
});

test.run();
