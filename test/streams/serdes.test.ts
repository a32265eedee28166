import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import { Serdes, DeserializationError, type Serde } from '../../lib/index.ts';

const isA = (type: new (...args: never[]) => Error) => (err: unknown) => err instanceof type;

const root = protobuf.Root.fromJSON({
  nested: {
    Point: { fields: { label: { type: 'string', id: 1 }, x: { type: 'sint32', id: 2 }, tags: { rule: 'repeated', type: 'string', id: 3 } } },
  },
});
const Point = root.lookupType('Point');

interface SerdeCase<T> {
  readonly name: string;
  readonly serde: Serde<T>;
  readonly samples: readonly T[];
  /** Payloads the serde must reject; empty for a serde that accepts any bytes. */
  readonly garbage: readonly Uint8Array[];
  readonly equal?: (a: T, b: T) => boolean;
}

const cases: SerdeCase<any>[] = [
  {
    name: 'String', serde: Serdes.String(),
    samples: ['', 'hello', 'héllo wörld', '日本語', '😀 emoji', '\uFEFFbom first', 'nul\u0000inside'],
    garbage: [new Uint8Array([0xc3, 0x28]), new Uint8Array([0xff]), new Uint8Array([0xe2, 0x82])],
  },
  {
    name: 'Bytes', serde: Serdes.Bytes(),
    samples: [new Uint8Array([]), new Uint8Array([0, 1, 0x80, 0xff])],
    garbage: [],
  },
  {
    name: 'Json', serde: Serdes.Json(),
    samples: [null, 0, -1.5, 'text', true, [1, 'two', null], { a: 1, nested: { b: [true] } }],
    garbage: [new TextEncoder().encode('{"a":'), new TextEncoder().encode('undefined'), new Uint8Array([0x22, 0xff, 0x22])],
  },
  {
    name: 'Int32', serde: Serdes.Int32(),
    samples: [0, 1, -1, 2147483647, -2147483648, 123456],
    garbage: [new Uint8Array([]), new Uint8Array([0, 0, 1]), new Uint8Array([0, 0, 0, 0, 1])],
  },
  {
    name: 'Float64', serde: Serdes.Float64(),
    samples: [0, -0, 1.5, -1e300, Number.MIN_VALUE, Infinity, -Infinity, NaN],
    garbage: [new Uint8Array([]), new Uint8Array(4), new Uint8Array(9)],
    equal: (a: number, b: number) => Object.is(a, b),
  },
  {
    name: 'Protobuf', serde: Serdes.Protobuf(Point),
    samples: [Point.create({}), Point.create({ label: 'p', x: -7, tags: ['a', 'b'] })],
    // field 1 declares 255 bytes that are not there; wire type 7 does not exist
    garbage: [new Uint8Array([0x0a, 0xff, 0x01]), new Uint8Array([0x0f])],
    equal: (a, b) => JSON.stringify(Point.toObject(a)) === JSON.stringify(Point.toObject(b)),
  },
];

// The contract every serde meets: round trips, and garbage fails with a DeserializationError.
for (const c of cases) {
  test(`${c.name}: every sample survives a round trip`, () => {
    for (const sample of c.samples) {
      const bytes = c.serde.serialize(sample, 'topic');
      assert.instance(bytes, Uint8Array);
      const back = c.serde.deserialize(bytes, 'topic');
      if (c.equal) assert.ok(c.equal(back, sample), `${String(sample)} came back as ${String(back)}`);
      else assert.equal(back, sample);
    }
  });

  test(`${c.name}: garbage fails with a DeserializationError naming the serde and its cause`, () => {
    for (const bytes of c.garbage) {
      try {
        c.serde.deserialize(bytes, 'in-topic');
        assert.unreachable(`${c.name} accepted ${[...bytes].join(',')}`);
      } catch (err) {
        assert.instance(err, DeserializationError);
        const e = err as DeserializationError;
        assert.is(e.name, 'DeserializationError');
        assert.is(e.serde, c.name);
        assert.ok(e.cause instanceof Error, 'cause is the underlying error');
        assert.match(e.message, c.name);
        assert.match(e.message, 'in-topic');
      }
    }
  });
}

test('Int32 writes 4 bytes big-endian two\'s complement, as Kafka\'s IntegerSerializer', () => {
  assert.equal([...Serdes.Int32().serialize(1)], [0, 0, 0, 1]);
  assert.equal([...Serdes.Int32().serialize(-1)], [0xff, 0xff, 0xff, 0xff]);
  assert.equal([...Serdes.Int32().serialize(0x01020304)], [1, 2, 3, 4]);
});

test('Int32 refuses values that are not 32-bit integers', () => {
  assert.throws(() => Serdes.Int32().serialize(1.5), isA(RangeError));
  assert.throws(() => Serdes.Int32().serialize(2 ** 31), isA(RangeError));
});

test('Float64 writes 8 bytes big-endian IEEE 754, as Kafka\'s DoubleSerializer', () => {
  // 1.0 is sign 0, exponent 0x3ff, mantissa 0
  assert.equal([...Serdes.Float64().serialize(1)], [0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
});

test('String keeps a leading byte-order mark', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
  assert.is(Serdes.String().deserialize(bytes), '\uFEFFa');
});

test('String rejects a lone surrogate encoded as UTF-8 (CESU-style) bytes', () => {
  assert.throws(() => Serdes.String().deserialize(new Uint8Array([0xed, 0xa0, 0x80])), isA(DeserializationError));
});

test('deserialize reads a view at a non-zero offset of a larger buffer', () => {
  const backing = new Uint8Array([9, 9, 0, 0, 0, 42, 9]);
  assert.is(Serdes.Int32().deserialize(backing.subarray(2, 6)), 42);
});

test('Json cannot serialize undefined', () => {
  assert.throws(() => Serdes.Json().serialize(undefined), isA(TypeError));
});

test('Protobuf refuses a message whose fields have the wrong type', () => {
  assert.throws(() => Serdes.Protobuf(Point).serialize({ x: 'not a number' } as never), /x/);
});

test('Protobuf accepts any codec with encode().finish() and decode()', () => {
  const codec = {
    encode: (n: number) => ({ finish: () => new Uint8Array([n]) }),
    decode: (b: Uint8Array) => { if (b.length !== 1) throw new Error('one byte'); return b[0]!; },
  };
  const serde = Serdes.Protobuf(codec);
  assert.is(serde.deserialize(serde.serialize(7)), 7);
  assert.throws(() => serde.deserialize(new Uint8Array(2)), (e: unknown) => e instanceof DeserializationError && e.serde === 'Protobuf');
});

test('String and Json write the UTF-8 bytes TextEncoder writes, for short ASCII (copied by hand), short non-ASCII and long text', () => {
  const utf8 = new TextEncoder();
  const texts = ['', 'k', 'key-42', 'x'.repeat(64), 'y'.repeat(65), 'é', 'ascii then ü', '\u007f\u0080', 'long '.repeat(40) + '日本'];
  for (const text of texts) {
    const bytes = Serdes.String().serialize(text);
    assert.instance(bytes, Uint8Array);
    assert.equal([...bytes], [...utf8.encode(text)], JSON.stringify(text));
    assert.equal([...Serdes.Json().serialize({ text })], [...utf8.encode(JSON.stringify({ text }))], `Json ${JSON.stringify(text)}`);
  }
});

test.run();
