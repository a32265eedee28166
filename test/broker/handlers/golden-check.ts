// Registers one test per advertised version of a handler: the request bytes decode to the
// expected fields (all of them consumed) and the response encodes to the expected bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader } from '../../../lib/broker/protocol/reader.ts';
import { Writer } from '../../../lib/broker/protocol/writer.ts';
import type { AnyHandler } from '../../../lib/broker/handlers/types.ts';

export interface Case { request: Buffer; decoded: unknown; response: unknown; encoded: Buffer }

export function check(h: AnyHandler, make: (v: number) => Case): void {
  for (let v = h.minVersion; v <= h.maxVersion; v++) {
    test(`${h.name} v${v}: request decodes and response encodes to the spec's bytes`, () => {
      const c = make(v);
      const r = new Reader(c.request);
      assert.equal(h.decodeRequest(r, v), c.decoded);
      assert.is(r.remaining, 0, 'the whole request body is consumed');
      const w = new Writer(8); // tiny start size: exercises buffer growth
      h.encodeResponse(w, v, c.response);
      assert.is(w.toBuffer().toString('hex'), c.encoded.toString('hex'));
    });
  }
}
