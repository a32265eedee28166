// Primitive types and framing against hand-computed bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader, MalformedRequestError } from '../../../lib/broker/protocol/reader.ts';
import { Writer } from '../../../lib/broker/protocol/writer.ts';
import { crc32c } from '../../../lib/broker/protocol/crc32c.ts';
import { FrameDecoder, FrameTooLargeError } from '../../../lib/broker/protocol/frame.ts';
import { readRequestHeader } from '../../../lib/broker/protocol/header.ts';

const hex = (w: Writer) => w.toBuffer().toString('hex');

test('varint uses zig-zag then LEB128: 0, -1, 1, 63, -64, 64, 300', () => {
  const w = new Writer();
  for (const v of [0, -1, 1, 63, -64, 64, 300]) w.varint(v);
  // zig-zag: 0→0, -1→1, 1→2, 63→126, -64→127, 64→128 (0x80 0x01), 300→600 (0xd8 0x04)
  assert.is(hex(w), '00' + '01' + '02' + '7e' + '7f' + '8001' + 'd804');
  const r = new Reader(w.toBuffer());
  assert.equal([0, 1, 2, 3, 4, 5, 6].map(() => r.varint()), [0, -1, 1, 63, -64, 64, 300]);
});

test('varlong round-trips millisecond timestamps and negative values', () => {
  const w = new Writer();
  w.varlong(1_700_000_000_000).varlong(-2).varlong(0);
  const r = new Reader(w.toBuffer());
  assert.equal([r.varlong(), r.varlong(), r.varlong()], [1_700_000_000_000, -2, 0]);
  assert.is(w.toBuffer()[w.length - 2], 0x03, '-2 zig-zags to 3');
});

test('strings, nullable strings, bytes and arrays have their int16/int32 length prefixes', () => {
  const w = new Writer(4);
  w.string('hé').nullableString(null).nullableBytes(Buffer.from([9])).nullableBytes(null).array([1, 2], (w, v) => w.int8(v));
  assert.is(hex(w), '0003' + '68c3a9' + 'ffff' + '00000001' + '09' + 'ffffffff' + '00000002' + '0102');
});

test('int64 is big-endian two\'s complement', () => {
  assert.is(hex(new Writer().int64(-2)), 'fffffffffffffffe');
  assert.is(new Reader(Buffer.from('0000000100000000', 'hex')).int64(), 2 ** 32);
});

test('a read past the end throws MalformedRequestError', () => {
  assert.throws(() => new Reader(Buffer.from([0, 5, 65])).string(), (e: unknown) => e instanceof MalformedRequestError);
  assert.throws(() => new Reader(Buffer.from([0, 0, 0, 200])).array((r) => r.int8()), (e: unknown) => e instanceof MalformedRequestError);
});

test('large raw runs are kept as separate chunks and the total length is right', () => {
  const big = Buffer.alloc(5000, 7);
  const w = new Writer(8);
  w.int32(big.length).raw(big).int16(1);
  const out = w.toBuffer();
  assert.is(out.length, 4 + 5000 + 2);
  assert.is(out.readInt32BE(0), 5000);
  assert.is(out[4 + 4999], 7);
  assert.is(out.readInt16BE(5004), 1);
});

test('CRC-32C matches the RFC 3720 check values', () => {
  assert.is(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.is(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.is(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
});

test('request header v1: api_key, api_version, correlation_id, client_id', () => {
  const h = readRequestHeader(new Reader(Buffer.from('0003000600000007' + '0002' + '6964', 'hex')));
  assert.equal(h, { apiKey: 3, apiVersion: 6, correlationId: 7, clientId: 'id' });
  const h0 = readRequestHeader(new Reader(Buffer.from('0007000000000009', 'hex')), 0);
  assert.equal(h0, { apiKey: 7, apiVersion: 0, correlationId: 9, clientId: null });
});

test('FrameDecoder reassembles frames split across chunks and several per chunk', () => {
  const d = new FrameDecoder(100);
  const stream = Buffer.from('00000002aabb' + '00000001cc' + '00000003ddeeff', 'hex');
  const frames: string[] = [];
  for (let i = 0; i < stream.length; i += 3) frames.push(...d.push(stream.subarray(i, i + 3)).map((f) => f.toString('hex')));
  assert.equal(frames, ['aabb', 'cc', 'ddeeff']);
  assert.is(d.buffered, 0);
});

test('FrameDecoder rejects a size above the cap from the prefix alone', () => {
  const d = new FrameDecoder(10);
  assert.throws(() => d.push(Buffer.from('0000000b', 'hex')), (e: unknown) => e instanceof FrameTooLargeError);
});

test.run();
