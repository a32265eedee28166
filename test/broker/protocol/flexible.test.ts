// Flexible-version primitives (KIP-482) and headers against hand-computed bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader, MalformedRequestError } from '../../../lib/broker/protocol/reader.ts';
import { Writer } from '../../../lib/broker/protocol/writer.ts';
import { frameResponse, readRequestHeader, responseHeaderVersion } from '../../../lib/broker/protocol/header.ts';

const hex = (w: Writer) => w.toBuffer().toString('hex');
const rd = (h: string) => new Reader(Buffer.from(h, 'hex'));
const isMalformed = (e: unknown) => e instanceof MalformedRequestError;

test('unsigned varint: 0, 127, 128, 300, 2^32-1 take 1, 1, 2, 2, 5 bytes', () => {
  const w = new Writer(4);
  for (const v of [0, 127, 128, 300, 0xffffffff]) w.uvarint(v);
  assert.is(hex(w), '00' + '7f' + '8001' + 'ac02' + 'ffffffff0f');
  const r = new Reader(w.toBuffer());
  assert.equal([0, 1, 2, 3, 4].map(() => r.uvarint()), [0, 127, 128, 300, 0xffffffff]);
});

test('an unsigned varint of more than 5 bytes is malformed', () => {
  assert.throws(() => rd('ffffffffff01').uvarint(), isMalformed);
});

test('compact string is uvarint length+1 then UTF-8; null is 0x00 and empty is 0x01', () => {
  const w = new Writer(4);
  w.compactString('hé').compactNullableString(null).compactString('');
  assert.is(hex(w), '04' + '68c3a9' + '00' + '01');
  const r = rd(hex(w));
  assert.equal([r.compactString(), r.compactNullableString(), r.compactString()], ['hé', null, '']);
});

test('a null compact string where a string is required is malformed', () => {
  assert.throws(() => rd('00').compactString(), isMalformed);
});

test('a compact string of 200 bytes has a two-byte length prefix', () => {
  const s = 'x'.repeat(200);
  const out = new Writer().compactString(s).toBuffer();
  assert.is(out.subarray(0, 2).toString('hex'), 'c901'); // 201 = 0x49 | 0x80, 0x01
  assert.is(new Reader(out).compactString(), s);
});

test('compact bytes, nullable bytes and records use uvarint length+1', () => {
  const w = new Writer(4);
  w.compactBytes(Buffer.from([9, 8])).compactNullableBytes(null).compactNullableBytes(Buffer.alloc(0));
  assert.is(hex(w), '03' + '0908' + '00' + '01');
  const r = rd(hex(w));
  assert.equal([...r.compactBytes()], [9, 8]);
  assert.is(r.compactNullableBytes(), null);
  assert.is(r.compactRecords()?.length, 0);
});

test('compact arrays: count+1, null = 0x00, empty = 0x01', () => {
  const w = new Writer(4);
  w.compactArray([1, 2], (w, v) => w.int8(v)).compactNullableArray(null, (w, v: number) => w.int8(v)).compactArray([], () => {});
  assert.is(hex(w), '03' + '0102' + '00' + '01');
  const r = rd(hex(w));
  assert.equal(r.compactArray((r) => r.int8()), [1, 2]);
  assert.is(r.compactNullableArray((r) => r.int8()), null);
  assert.equal(r.compactArray((r) => r.int8()), []);
});

test('a compact array count larger than the bytes left is malformed before allocating', () => {
  assert.throws(() => rd('ffffff0f').compactArray((r) => r.int8()), isMalformed);
});

test('tag buffer: count, then tag, size, bytes in ascending tag order', () => {
  const w = new Writer(4);
  w.taggedFields([
    { tag: 3, write: (w) => w.boolean(true) },
    { tag: 1, write: (w) => w.int64(-1) },
  ]);
  assert.is(hex(w), '02' + '01' + '08' + 'ffffffffffffffff' + '03' + '01' + '01');
  assert.is(hex(new Writer().taggedFields()), '00');
});

test('reading a tag buffer hands known tags over and skips unknown ones', () => {
  const r = rd('03' + '00' + '02' + 'abcd' + '05' + '01' + '07' + '1f' + '00' + 'ee');
  const seen: [number, string][] = [];
  r.taggedFields((tag, tr) => { if (tag === 5) seen.push([tag, tr.int8().toString()]); });
  assert.equal(seen, [[5, '7']]);
  assert.is(r.int8(), -18, 'reading continues after the tag buffer (0xee)');
});

test('a tagged field whose size runs past the end is malformed', () => {
  assert.throws(() => rd('01' + '00' + '05' + 'aa').taggedFields(), isMalformed);
});

test('tags out of ascending order are malformed', () => {
  assert.throws(() => rd('02' + '01' + '00' + '00' + '00').taggedFields(), isMalformed);
});

test('uuid is 16 raw bytes, read back in the dashed text form', () => {
  const id = '01234567-89ab-cdef-0123-456789abcdef';
  assert.is(hex(new Writer().uuid(id)), '0123456789abcdef0123456789abcdef');
  assert.is(rd('0123456789abcdef0123456789abcdef').uuid(), id);
});

test('request header v2: client id stays an int16-length string, then a tag buffer', () => {
  // api_key 18, api_version 3, correlation 7, client_id "ab", tag buffer with one unknown tag.
  const r = rd('0012' + '0003' + '00000007' + '0002' + '6162' + '01' + '09' + '01' + 'ff' + '55');
  assert.equal(readRequestHeader(r, 2), { apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'ab' });
  assert.is(r.int8(), 0x55, 'the body starts right after the tag buffer');
});

test('response header v1 is the correlation id then an empty tag buffer; v0 has no tag buffer', () => {
  const body = new Writer().int16(0);
  assert.is(Buffer.concat(frameResponse(9, body, 1)).toString('hex'), '00000007' + '00000009' + '00' + '0000');
  assert.is(Buffer.concat(frameResponse(9, new Writer().int16(0), 0)).toString('hex'), '00000006' + '00000009' + '0000');
});

test('ApiVersions responses keep header v0 even at flexible versions (KIP-511)', () => {
  assert.is(responseHeaderVersion(18, true), 0);
  assert.is(responseHeaderVersion(3, true), 1);
  assert.is(responseHeaderVersion(3, false), 0);
});

test.run();
