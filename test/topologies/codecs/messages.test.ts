import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import {
  encodeWineRecord, decodeWineRecord, encodeModelDescriptor, decodeModelDescriptor,
  encodeServingResult, decodeServingResult, MessageDecodeError, ModelType, type WineRecord, type ServingResult,
  encodeModelCommand, decodeModelMessage,
} from '../../../topologies/codecs/messages.ts';

const record: WineRecord = {
  fixed_acidity: 7.4, volatile_acidity: 0.7, citric_acid: 0, residual_sugar: 1.9, chlorides: 0.076,
  free_sulfur_dioxide: 11, total_sulfur_dioxide: 34, density: 0.9978, pH: 3.51, sulphates: 0.56, alcohol: 9.4,
  dataType: 'wine',
};

// An independent writer for the tutorial's wire layout (field numbers from proto/*.proto),
// so that the tests prove compatibility rather than round-trip with themselves.
function tutorialWineRecord(values: readonly number[], dataType: string): Uint8Array {
  const w = protobuf.Writer.create();
  values.forEach((v, i) => w.uint32(((i + 1) << 3) | 1).double(v));
  w.uint32((12 << 3) | 2).string(dataType);
  return w.finish();
}

test('a WineRecord round-trips with every field', () => {
  assert.equal(decodeWineRecord(encodeWineRecord(record)), record);
});

test('a WineRecord written with the tutorial field numbers decodes to the named fields', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const decoded = decodeWineRecord(tutorialWineRecord(values, 'wine'));
  assert.is(decoded.fixed_acidity, 1);
  assert.is(decoded.pH, 9);
  assert.is(decoded.alcohol, 11);
  assert.is(decoded.dataType, 'wine');
});

test('absent WineRecord fields decode as proto3 defaults', () => {
  const decoded = decodeWineRecord(new Uint8Array(0));
  assert.is(decoded.alcohol, 0);
  assert.is(decoded.dataType, '');
});

test('a ModelDescriptor by value round-trips its bytes and type', () => {
  const data = new Uint8Array([1, 2, 3, 250]);
  const d = decodeModelDescriptor(encodeModelDescriptor({ name: 'n', description: 'd', dataType: 'wine', modelType: ModelType.PMML, data }));
  assert.is(d.modelType, ModelType.PMML);
  assert.equal(Array.from(d.data ?? []), [1, 2, 3, 250]);
  assert.is(d.location, undefined);
});

test('a ModelDescriptor by reference keeps the location and no data', () => {
  const d = decodeModelDescriptor(encodeModelDescriptor({ name: 'n', description: '', dataType: 'wine', modelType: ModelType.TENSORFLOW, location: '/m/wine.pb' }));
  assert.is(d.location, '/m/wine.pb');
  assert.is(d.data, undefined);
});

test('ModelDescriptor fields sit at the tutorial numbers (modeltype = 4, location = 6)', () => {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string('tree');
  w.uint32((4 << 3) | 0).int32(1);
  w.uint32((6 << 3) | 2).string('/tmp/tree.pmml');
  const d = decodeModelDescriptor(w.finish());
  assert.is(d.name, 'tree');
  assert.is(d.modelType, ModelType.PMML);
  assert.is(d.location, '/tmp/tree.pmml');
});

test('a ModelDescriptor with neither data nor location is a MessageDecodeError', () => {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string('empty');
  assert.throws(() => decodeModelDescriptor(w.finish()), (e: unknown) => e instanceof MessageDecodeError && /neither data nor location/.test(e.message));
});

test('a model type number outside the enum is kept for the registry to judge', () => {
  const w = protobuf.Writer.create();
  w.uint32((4 << 3) | 0).int32(7);
  w.uint32((5 << 3) | 2).bytes(new Uint8Array([1]));
  assert.is(decodeModelDescriptor(w.finish()).modelType, 7);
});

test('a registered model type outside the enum can be sent too', () => {
  const d = decodeModelDescriptor(encodeModelDescriptor({ name: 'n', description: '', dataType: 'wine', modelType: 9, data: new Uint8Array([1]) }));
  assert.is(d.modelType, 9);
  assert.throws(() => encodeModelDescriptor({ name: 'n', description: '', dataType: 'wine', modelType: 1.5, data: new Uint8Array([1]) }), /modeltype: an int32 model type expected/);
});

const result: ServingResult = {
  dataType: 'wine', modelName: 'tree', modelType: ModelType.PMML,
  outcome: { kind: 'scored', value: 6, probabilities: { '5': 0.25, '6': 0.75 } },
  durationMs: 0.0125, timestamp: 1_700_000_000_123, partition: 2, offset: '9007199254740993',
};

test('a scored ServingResult round-trips, 64-bit offset included', () => {
  assert.equal(decodeServingResult(encodeServingResult(result)), result);
});

test('a ServingResult with a string label or an error round-trips its outcome', () => {
  const labelled = { ...result, outcome: { kind: 'scored', value: 'good' } } as const;
  assert.equal(decodeServingResult(encodeServingResult(labelled)).outcome, { kind: 'scored', value: 'good' });
  const failed = { ...result, outcome: { kind: 'failed', error: "missing value for 'pH'" } } as const;
  assert.equal(decodeServingResult(encodeServingResult(failed)).outcome, failed.outcome);
});

test('a ServingResult keeps a model type outside the enum', () => {
  assert.is(decodeServingResult(encodeServingResult({ ...result, modelType: 9 })).modelType, 9);
});

test('a ServingResult with no value decodes as scored with value null', () => {
  const none = { ...result, outcome: { kind: 'scored', value: null } } as const;
  assert.equal(decodeServingResult(encodeServingResult(none)).outcome, { kind: 'scored', value: null });
});

test('encoding a message with a wrongly typed field is a TypeError, not a corrupt payload', () => {
  assert.throws(() => encodeWineRecord({ ...record, alcohol: 'strong' as unknown as number }), (e: unknown) => e instanceof TypeError && /alcohol/.test(e.message));
});

const isDecodeError = (pattern: RegExp) => (e: unknown) => e instanceof MessageDecodeError && pattern.test(e.message) && e.cause !== undefined;

test('a truncated WineRecord is a MessageDecodeError', () => {
  const bytes = encodeWineRecord(record);
  for (const cut of [1, 3, 9, 40]) {
    assert.throws(() => decodeWineRecord(bytes.subarray(0, bytes.length - cut)), isDecodeError(/WineRecord/), `cut ${cut}`);
  }
});

test('text bytes are not a WineRecord', () => {
  assert.throws(() => decodeWineRecord(new TextEncoder().encode('{"fixed_acidity": 7.4}')), isDecodeError(/WineRecord/));
});

test('seeded random garbage is rejected as every message type', () => {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24);
  for (let n = 0; n < 50; n++) {
    const bytes = Uint8Array.from({ length: 8 + (n % 40) }, next);
    assert.throws(() => decodeWineRecord(bytes), isDecodeError(/WineRecord/));
    assert.throws(() => decodeModelDescriptor(bytes), isDecodeError(/ModelDescriptor/));
    assert.throws(() => decodeServingResult(bytes), isDecodeError(/ServingResult/));
  }
});

test('a known field with the wrong wire type is rejected (protobufjs alone would misread it)', () => {
  const w = protobuf.Writer.create();
  w.uint32((11 << 3) | 0).uint32(9); // alcohol as a varint; the schema says double
  assert.throws(() => decodeWineRecord(w.finish()), isDecodeError(/alcohol: wire type 0/));
});

test('invalid UTF-8 in a string field is rejected', () => {
  const bytes = new Uint8Array([(12 << 3) | 2, 2, 0xc3, 0x28]);
  assert.throws(() => decodeWineRecord(bytes), isDecodeError(/dataType: string is not valid UTF-8/));
});

test('unknown fields are rejected unless allowed', () => {
  const w = protobuf.Writer.create();
  w.uint32((12 << 3) | 2).string('wine');
  w.uint32((20 << 3) | 0).uint32(1);
  const bytes = w.finish();
  assert.throws(() => decodeWineRecord(bytes), isDecodeError(/unknown field number 20/));
  assert.is(decodeWineRecord(bytes, { allowUnknownFields: true }).dataType, 'wine');
});

test('a champion descriptor carries only the tutorial\'s fields 1-6, whatever its type', () => {
  const bytes = encodeModelDescriptor({ name: 'm', description: 'd', dataType: 'wine', modelType: ModelType.ONNX, data: new Uint8Array([1, 2]) });
  const fields = new Set<number>();
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) { const tag = r.uint32(); fields.add(tag >>> 3); r.skipType(tag & 7); }
  assert.equal([...fields].sort(), [1, 2, 3, 4, 5]);
  assert.is(ModelType.ONNX, 2, 'after TENSORFLOW 0 and PMML 1');
});

test('role and weight travel in fields 7 and 8 and come back', () => {
  const d = decodeModelDescriptor(encodeModelDescriptor({ name: 'm', description: '', dataType: 'wine', modelType: ModelType.PMML, role: 'shadow', weight: 3, location: '/m.pmml' }));
  assert.equal([d.role, d.weight, d.location], ['shadow', 3, '/m.pmml']);
});

test('a command decodes as a command, and is no model', () => {
  const bytes = encodeModelCommand({ command: 'retire', dataType: 'wine', name: 'challenger' });
  assert.equal(decodeModelMessage(bytes), { kind: 'command', command: { command: 'retire', dataType: 'wine', name: 'challenger' } });
  assert.throws(() => decodeModelDescriptor(bytes), (e: Error) => e instanceof MessageDecodeError && /retire command, not a model/.test(e.message));
});

test.run();
