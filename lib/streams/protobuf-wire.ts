// A strict walk over protobuf wire format against a protobufjs Type. protobufjs' decoders read
// a known field by its declared type whatever the wire type says, skip unknown fields and accept
// malformed UTF-8, so garbage often "decodes". This walk rejects what a conforming parser would
// (https://protobuf.dev/programming-guides/encoding/): bad wire types, truncation, invalid
// UTF-8 in strings, and, unless allowed, field numbers the schema does not know.
import protobuf from 'protobufjs';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5;

const SCALAR_WIRE: { readonly [type: string]: number } = {
  double: WIRE_I64, fixed64: WIRE_I64, sfixed64: WIRE_I64,
  float: WIRE_I32, fixed32: WIRE_I32, sfixed32: WIRE_I32,
  int32: WIRE_VARINT, int64: WIRE_VARINT, uint32: WIRE_VARINT, uint64: WIRE_VARINT,
  sint32: WIRE_VARINT, sint64: WIRE_VARINT, bool: WIRE_VARINT,
  string: WIRE_LEN, bytes: WIRE_LEN,
};

export interface WireCheckOptions {
  /** Skip field numbers that the schema does not declare instead of rejecting them. */
  readonly allowUnknownFields?: boolean;
}

/** Throws an `Error` describing the first problem found, or returns when the bytes are well-formed. */
export function checkWireFormat(type: protobuf.Type, bytes: Uint8Array, options: WireCheckOptions = {}): void {
  const reader = protobuf.Reader.create(bytes);
  checkMessage(type, reader, bytes.length, type.name, options.allowUnknownFields ?? false);
}

function checkMessage(type: protobuf.Type, reader: protobuf.Reader, end: number, path: string, allowUnknown: boolean): void {
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = reader.uint32();
    const id = tag >>> 3, wire = tag & 7;
    if (id === 0) throw new Error(`${path}: field number 0 at offset ${at}`);
    const field = type.fieldsById[id];
    if (!field) {
      if (!allowUnknown) throw new Error(`${path}: unknown field number ${id} at offset ${at}`);
      if (wire === 3 || wire === 4 || wire > 5) throw new Error(`${path}: invalid wire type ${wire} at offset ${at}`);
      reader.skipType(wire);
      continue;
    }
    const name = nameOf(path, field);
    field.resolve();
    if (field.map) {
      expectWire(name, wire, WIRE_LEN, at);
      const len = reader.uint32();
      const entryEnd = boundedEnd(reader, len, end, name);
      checkMapEntry(field as unknown as protobuf.MapField, reader, entryEnd, name);
      continue;
    }
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      expectWire(name, wire, WIRE_LEN, at);
      const len = reader.uint32();
      checkMessage(resolved, reader, boundedEnd(reader, len, end, name), name, allowUnknown);
      continue;
    }
    const scalarWire = resolved instanceof protobuf.Enum ? WIRE_VARINT : SCALAR_WIRE[field.type];
    if (scalarWire === undefined) throw new Error(`${name}: unsupported field type ${field.type}`);
    if (field.repeated && wire === WIRE_LEN && scalarWire !== WIRE_LEN) {
      // A packed repeated scalar: a run of values of the scalar's wire type.
      const len = reader.uint32();
      const runEnd = boundedEnd(reader, len, end, name);
      while (reader.pos < runEnd) reader.skipType(scalarWire);
      if (reader.pos !== runEnd) throw new Error(`${name}: packed values overrun their length`);
      continue;
    }
    expectWire(name, wire, scalarWire, at);
    checkScalar(field.type, reader, end, name);
  }
  if (reader.pos !== end) throw new Error(`${path}: a field overruns the message's end`);
}

/** A field's path in error messages, built once per field and path: a valid record costs no string. */
const names = new WeakMap<protobuf.Field, Map<string, string>>();
function nameOf(path: string, field: protobuf.Field): string {
  let byPath = names.get(field);
  if (!byPath) names.set(field, (byPath = new Map()));
  let name = byPath.get(path);
  if (name === undefined) byPath.set(path, (name = `${path}.${field.name}`));
  return name;
}

function checkScalar(type: string, reader: protobuf.Reader, end: number, name: string): void {
  if (type === 'string' || type === 'bytes') {
    const len = reader.uint32();
    const stop = boundedEnd(reader, len, end, name);
    if (type === 'string') {
      try {
        utf8.decode(reader.buf.subarray(reader.pos, stop));
      } catch (cause) {
        throw new Error(`${name}: string is not valid UTF-8`, { cause });
      }
    }
    reader.pos = stop;
  } else {
    reader.skipType(SCALAR_WIRE[type] ?? WIRE_VARINT);
  }
}

function checkMapEntry(field: protobuf.MapField, reader: protobuf.Reader, end: number, name: string): void {
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = reader.uint32();
    const id = tag >>> 3, wire = tag & 7;
    if (id !== 1 && id !== 2) throw new Error(`${name}: map entry has field number ${id} at offset ${at}`);
    const type = id === 1 ? field.keyType : field.type;
    const resolved = id === 2 ? field.resolvedType : null;
    if (resolved instanceof protobuf.Type) {
      expectWire(name, wire, WIRE_LEN, at);
      const len = reader.uint32();
      checkMessage(resolved, reader, boundedEnd(reader, len, end, name), name, false);
      continue;
    }
    const scalarWire = resolved instanceof protobuf.Enum ? WIRE_VARINT : SCALAR_WIRE[type];
    if (scalarWire === undefined) throw new Error(`${name}: unsupported map type ${type}`);
    expectWire(name, wire, scalarWire, at);
    checkScalar(type, reader, end, name);
  }
  if (reader.pos !== end) throw new Error(`${name}: a map entry overruns its length`);
}

function expectWire(name: string, wire: number, expected: number, at: number): void {
  if (wire !== expected) throw new Error(`${name}: wire type ${wire} where ${expected} is expected, at offset ${at}`);
}

function boundedEnd(reader: protobuf.Reader, len: number, end: number, name: string): number {
  const stop = reader.pos + len;
  if (stop > end) throw new Error(`${name}: length ${len} runs past the end of the payload (truncated?)`);
  return stop;
}
