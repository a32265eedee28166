// The built-in serdes, named as in Kafka Streams' `Serdes`. Each one fails on a bad payload
// with a `DeserializationError` that names the serde and carries the underlying cause.
import { DeserializationError, type Serde } from './api/serde.ts';

/** What `Serdes.Protobuf` needs of a message type: a protobufjs `Type` or a generated class. */
export interface ProtobufCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  /** protobufjs' `Type.verify`: an error text, or null when the message is valid. */
  verify?(message: { [key: string]: unknown }): string | null;
}

const encoder = new TextEncoder();
// fatal: reject malformed UTF-8 instead of substituting U+FFFD; ignoreBOM: keep a leading
// U+FEFF as part of the text, so that every string round-trips.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Longest text written by hand: a Uint8Array up to 64 bytes lives on V8's heap. */
const SHORT_TEXT = 64;

/**
 * UTF-8 bytes of `text`. TextEncoder.encode gives every result its own off-heap ArrayBuffer
 * (about 0.7 µs for a record key); short ASCII text, the usual key, is copied by hand into an
 * on-heap array, about ten times cheaper. The bytes are the same either way.
 */
function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > SHORT_TEXT) return encoder.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

function describe(bytes: Uint8Array, topic: string | undefined): string {
  return `${bytes.byteLength} bytes${topic === undefined ? '' : ` from topic '${topic}'`}`;
}

/** Runs `decode`, turning whatever it throws into a `DeserializationError` for `serde`. */
function decoding<T>(serde: string, bytes: Uint8Array, topic: string | undefined, decode: () => T): T {
  try {
    return decode();
  } catch (cause) {
    if (cause instanceof DeserializationError) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new DeserializationError(`${serde} serde could not deserialize ${describe(bytes, topic)}: ${why}`, serde, { cause });
  }
}

function expectLength(bytes: Uint8Array, length: number): DataView {
  if (bytes.byteLength !== length) {
    throw new RangeError(`expected exactly ${length} bytes, got ${bytes.byteLength}`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const stringSerde: Serde<string> = {
  serialize: (value) => utf8(value),
  deserialize: (bytes, topic) => decoding('String', bytes, topic, () => decoder.decode(bytes)),
};

// Bytes pass through untouched: every payload is valid.
const bytesSerde: Serde<Uint8Array> = {
  serialize: (value) => value,
  deserialize: (bytes) => bytes,
};

const jsonSerde: Serde<unknown> = {
  serialize(value) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Json serde cannot serialize ${typeof value}`);
    return utf8(text);
  },
  deserialize: (bytes, topic) => decoding('Json', bytes, topic, () => JSON.parse(decoder.decode(bytes)) as unknown),
};

// Big-endian two's complement, the layout of Kafka's IntegerSerializer.
const int32Serde: Serde<number> = {
  serialize(value) {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
      throw new RangeError(`Int32 serde cannot serialize ${value}: not a 32-bit integer`);
    }
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value, false);
    return bytes;
  },
  deserialize: (bytes, topic) => decoding('Int32', bytes, topic, () => expectLength(bytes, 4).getInt32(0, false)),
};

// Big-endian two's complement 64-bit, the layout of Kafka's LongSerializer; numbers beyond
// 2^53 lose precision, so they are refused.
const int64Serde: Serde<number> = {
  serialize(value) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Int64 serde cannot serialize ${value}: not a safe integer`);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, BigInt(value), false);
    return bytes;
  },
  deserialize: (bytes, topic) => decoding('Int64', bytes, topic, () => Number(expectLength(bytes, 8).getBigInt64(0, false))),
};

// IEEE 754 binary64, big-endian, the layout of Kafka's DoubleSerializer.
const float64Serde: Serde<number> = {
  serialize(value) {
    if (typeof value !== 'number') throw new TypeError(`Float64 serde cannot serialize ${typeof value}`);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, false);
    return bytes;
  },
  deserialize: (bytes, topic) => decoding('Float64', bytes, topic, () => expectLength(bytes, 8).getFloat64(0, false)),
};

function protobufSerde<T>(type: ProtobufCodec<T>): Serde<T> {
  return {
    serialize(value) {
      // protobufjs encodes without checking field types; verify first when the type can.
      const problem = type.verify?.(value as { [key: string]: unknown });
      if (problem) throw new TypeError(`Protobuf serde cannot serialize the message: ${problem}`);
      return type.encode(value).finish();
    },
    deserialize: (bytes, topic) => decoding('Protobuf', bytes, topic, () => type.decode(bytes)),
  };
}

/** Factories for the built-in serdes, as in Kafka Streams (`Serdes.String()`, ...). */
export const Serdes = {
  /** UTF-8 text; malformed UTF-8 is a `DeserializationError`. */
  String: (): Serde<string> => stringSerde,
  /** The bytes themselves. */
  Bytes: (): Serde<Uint8Array> => bytesSerde,
  /** UTF-8 JSON text. The type parameter is not checked at run time. */
  Json: <T = unknown>(): Serde<T> => jsonSerde as Serde<T>,
  /** 4 bytes, big-endian (Kafka's IntegerSerializer). */
  Int32: (): Serde<number> => int32Serde,
  /** 8 bytes, big-endian (Kafka's LongSerializer), as numbers up to 2^53. */
  Int64: (): Serde<number> => int64Serde,
  /** 8 bytes, big-endian IEEE 754 (Kafka's DoubleSerializer). */
  Float64: (): Serde<number> => float64Serde,
  /** A protobufjs `Type` (or any `encode(msg).finish()` / `decode(bytes)` pair). */
  Protobuf: <T>(type: ProtobufCodec<T>): Serde<T> => protobufSerde(type),
} as const;
