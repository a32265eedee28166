// Typed encode/decode of the application's protobuf messages (WineRecord, ModelDescriptor,
// ServingResult). The .proto files under proto/ are the single source of truth: they are parsed
// at module init (keepCase, so the tutorial's field names such as `fixed_acidity` and
// `modeltype` stay as written). The build copies proto/ to dist/proto, at the same depth.
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { checkWireFormat, type WireCheckOptions } from '../../lib/index.ts';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));
const root = new protobuf.Root().loadSync(
  ['modeldescriptor.proto', 'winerecord.proto', 'servingresult.proto'].map((f) => protoDir + f),
  { keepCase: true },
);
root.resolveAll();

const wineRecordType = root.lookupType('WineRecord');
const modelDescriptorType = root.lookupType('ModelDescriptor');
const servingResultType = root.lookupType('ServingResult');

/** `ModelDescriptor.ModelType`. Other numbers may arrive (proto3 enums are open) and are kept. */
export const ModelType = { TENSORFLOW: 0, PMML: 1, ONNX: 2 } as const;
export type ModelType = (typeof ModelType)[keyof typeof ModelType];

/** A payload that is not a well-formed message of the expected type. */
export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `WineRecord` (proto/winerecord.proto), with the proto's field names. Usable as a `FeatureRecord`. */
export interface WineRecord {
  readonly fixed_acidity: number;
  readonly volatile_acidity: number;
  readonly citric_acid: number;
  readonly residual_sugar: number;
  readonly chlorides: number;
  readonly free_sulfur_dioxide: number;
  readonly total_sulfur_dioxide: number;
  readonly density: number;
  readonly pH: number;
  readonly sulphates: number;
  readonly alcohol: number;
  readonly dataType: string;
}

/** The 11 wine features in the proto's field order (the TensorFlow graph's input order). */
export const WINE_FEATURES = [
  'fixed_acidity', 'volatile_acidity', 'citric_acid', 'residual_sugar', 'chlorides',
  'free_sulfur_dioxide', 'total_sulfur_dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const satisfies readonly (keyof WineRecord)[];

/** `ModelDescriptor.role` (field 7): absent or 'champion' is the tutorial's meaning. */
export type ModelRole = 'champion' | 'shadow' | 'split';
const ROLES: readonly ModelRole[] = ['champion', 'shadow', 'split'];

interface DescriptorHeader {
  readonly name: string;
  readonly description: string;
  readonly dataType: string;
  /** Proto field `modeltype` = 4: a `ModelType` value, or another number a newer producer sent. */
  readonly modelType: number;
  /** Default 'champion'. */
  readonly role?: ModelRole;
  /** Relative share of the records for a champion or split model (0 or absent: 1). */
  readonly weight?: number;
}

/** A control message on the models topic (`ModelDescriptor.command`, field 9), with no model content. */
export interface ModelCommand {
  readonly command: 'rollback' | 'retire';
  readonly dataType: string;
  /** RETIRE: the shadow or split model to retire. */
  readonly name: string;
}
const COMMANDS = ['none', 'rollback', 'retire'] as const;

/** What the models topic carries: a model or a command. */
export type ModelMessage =
  | { readonly kind: 'model'; readonly descriptor: ModelDescriptor }
  | { readonly kind: 'command'; readonly command: ModelCommand };

/** `ModelDescriptor` (proto/modeldescriptor.proto): a model passed by value (`data`) or by reference (`location`). */
export type ModelDescriptor = DescriptorHeader &
  ({ readonly data: Uint8Array; readonly location?: undefined } | { readonly location: string; readonly data?: undefined });

/** What the model said of one record. */
export type ServingOutcome =
  | { readonly kind: 'scored'; readonly value: number | string | null; readonly probabilities?: Readonly<{ [label: string]: number }> }
  | { readonly kind: 'failed'; readonly error: string };

/** `ServingResult` (proto/servingresult.proto): one result per record on `models_results`. */
export interface ServingResult {
  readonly dataType: string;
  readonly modelName: string;
  readonly modelType: number;
  readonly outcome: ServingOutcome;
  /** Scoring time for this record, ms (fractional). */
  readonly durationMs: number;
  /** The record's timestamp, ms since the epoch. */
  readonly timestamp: number;
  readonly partition: number;
  /** The record's offset, as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
}

export type DecodeOptions = WireCheckOptions;

function decodeChecked(type: protobuf.Type, bytes: Uint8Array, options: DecodeOptions | undefined): protobuf.Message & { [k: string]: any } {
  try {
    checkWireFormat(type, bytes, options);
    const message = type.decode(bytes);
    const problem = type.verify(message);
    if (problem) throw new Error(problem);
    return message as protobuf.Message & { [k: string]: any };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new MessageDecodeError(`not a valid ${type.name} (${bytes.length} bytes): ${why}`, { cause });
  }
}

function encodeChecked(type: protobuf.Type, message: { [k: string]: unknown }, openEnum?: string): Uint8Array {
  // protobufjs encodes whatever it is given; a wrong type would write a corrupt payload.
  // Proto3 enums are open: any int32 may travel in `openEnum` (a model type registered by a
  // user), while protobufjs' verify accepts only the declared values.
  let checked = message;
  if (openEnum !== undefined) {
    const value = message[openEnum];
    if (!Number.isInteger(value) || (value as number) < -0x80000000 || (value as number) > 0x7fffffff) {
      throw new TypeError(`cannot encode ${type.name}: ${openEnum}: an int32 model type expected`);
    }
    checked = { ...message, [openEnum]: 0 };
  }
  const problem = type.verify(checked);
  if (problem) throw new TypeError(`cannot encode ${type.name}: ${problem}`);
  return type.encode(message).finish();
}

export function encodeWineRecord(record: WineRecord): Uint8Array {
  return encodeChecked(wineRecordType, { ...record });
}

export function decodeWineRecord(bytes: Uint8Array, options?: DecodeOptions): WineRecord {
  const m = decodeChecked(wineRecordType, bytes, options);
  // Absent proto3 fields read as their defaults (0, '') from the decoded message's prototype.
  return {
    fixed_acidity: m.fixed_acidity, volatile_acidity: m.volatile_acidity, citric_acid: m.citric_acid,
    residual_sugar: m.residual_sugar, chlorides: m.chlorides, free_sulfur_dioxide: m.free_sulfur_dioxide,
    total_sulfur_dioxide: m.total_sulfur_dioxide, density: m.density, pH: m.pH, sulphates: m.sulphates,
    alcohol: m.alcohol, dataType: m.dataType,
  };
}

export function encodeModelDescriptor(descriptor: ModelDescriptor): Uint8Array {
  const { name, description, dataType, modelType } = descriptor;
  const content = descriptor.data !== undefined ? { data: descriptor.data } : { location: descriptor.location };
  // The tutorial's fields only, unless a role or weight is set: its consumers see the same bytes.
  const role = descriptor.role && descriptor.role !== 'champion' ? { role: ROLES.indexOf(descriptor.role) } : {};
  const weight = descriptor.weight ? { weight: descriptor.weight } : {};
  return encodeChecked(modelDescriptorType, { name, description, dataType, modeltype: modelType, ...content, ...role, ...weight }, 'modeltype');
}

export function encodeModelCommand(command: ModelCommand): Uint8Array {
  return encodeChecked(modelDescriptorType, { name: command.name, description: '', dataType: command.dataType, command: COMMANDS.indexOf(command.command) });
}

export function decodeModelMessage(bytes: Uint8Array, options?: DecodeOptions): ModelMessage {
  const m = decodeChecked(modelDescriptorType, bytes, options);
  const command = COMMANDS[m.command as number] ?? 'none';
  if (command !== 'none') {
    if (m.MessageContent) throw new MessageDecodeError(`ModelDescriptor '${m.name}' is a ${command} command and holds a model too`);
    return { kind: 'command', command: { command, dataType: m.dataType as string, name: m.name as string } };
  }
  const role = ROLES[m.role as number];
  if (!role) throw new MessageDecodeError(`ModelDescriptor '${m.name}' has an unknown role ${m.role}`);
  const weight = m.weight as number;
  const header = {
    name: m.name as string, description: m.description as string, dataType: m.dataType as string, modelType: m.modeltype as number,
    ...(role !== 'champion' && { role }), ...(weight !== 0 && { weight }),
  };
  switch (m.MessageContent) {
    case 'data': return { kind: 'model', descriptor: { ...header, data: m.data as Uint8Array } };
    case 'location': return { kind: 'model', descriptor: { ...header, location: m.location as string } };
    default: throw new MessageDecodeError(`ModelDescriptor '${header.name}' has neither data nor location`);
  }
}

export function decodeModelDescriptor(bytes: Uint8Array, options?: DecodeOptions): ModelDescriptor {
  const message = decodeModelMessage(bytes, options);
  if (message.kind === 'command') throw new MessageDecodeError(`ModelDescriptor '${message.command.name}' is a ${message.command.command} command, not a model`);
  return message.descriptor;
}

export function encodeServingResult(result: ServingResult): Uint8Array {
  const { outcome } = result;
  const body: { [k: string]: unknown } = {
    dataType: result.dataType, modelName: result.modelName, modelType: result.modelType,
    durationMs: result.durationMs, timestamp: result.timestamp, partition: result.partition, offset: int64(result.offset),
  };
  if (outcome.kind === 'failed') body.error = outcome.error;
  else {
    if (typeof outcome.value === 'number') body.value = outcome.value;
    else if (typeof outcome.value === 'string') body.label = outcome.value;
    if (outcome.probabilities) body.probabilities = { ...outcome.probabilities };
  }
  return encodeChecked(servingResultType, body, 'modelType');
}

function int64(decimal: string): { low: number; high: number; unsigned: boolean } | string {
  // protobufjs takes a 64-bit integer as low/high 32-bit halves. Not a decimal integer: left as
  // the string, which `verify` then rejects by field name.
  if (!/^-?\d{1,20}$/.test(decimal)) return decimal;
  const bits = BigInt.asUintN(64, BigInt(decimal));
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned: false };
}

export function decodeServingResult(bytes: Uint8Array, options?: DecodeOptions): ServingResult {
  const m = decodeChecked(servingResultType, bytes, options);
  let outcome: ServingOutcome;
  if (m.Outcome === 'error') outcome = { kind: 'failed', error: m.error };
  else {
    const value = m.Outcome === 'value' ? (m.value as number) : m.Outcome === 'label' ? (m.label as string) : null;
    const probabilities = m.probabilities as { [label: string]: number } | undefined;
    outcome = probabilities && Object.keys(probabilities).length > 0
      ? { kind: 'scored', value, probabilities: { ...probabilities } }
      : { kind: 'scored', value };
  }
  return {
    dataType: m.dataType, modelName: m.modelName, modelType: m.modelType, outcome,
    durationMs: m.durationMs, timestamp: Number(m.timestamp.toString()), partition: m.partition, offset: m.offset.toString(),
  };
}

/** encode/decode pairs in the shape `Serdes.Protobuf` takes, so that topics can use them directly. */
export const messageCodecs = {
  WineRecord: codec(encodeWineRecord, decodeWineRecord),
  ModelDescriptor: codec(encodeModelDescriptor, decodeModelDescriptor),
  ServingResult: codec(encodeServingResult, decodeServingResult),
} as const;

function codec<T>(encode: (m: T) => Uint8Array, decode: (b: Uint8Array) => T) {
  return { encode: (m: T) => ({ finish: () => encode(m) }), decode: (b: Uint8Array) => decode(b) };
}
