// What the models global store holds per dataType: the model that serves it (its descriptor
// bytes, exactly as they came from the models topic) and the last model that failed to load.
// Only models that compiled are ever put here, so a restart restores a model that works.
import type { Serde } from '../../lib/index.ts';

/** A model accepted for a dataType: it compiled on the instance that put it here. */
export interface ServingModel {
  /** Identity of this model message: a digest of its bytes and where it was read (topic partition and offset). */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** `ModelDescriptor.modeltype` as sent. */
  readonly modelType: number;
  /** The model message's timestamp: when it was published to serve (ms since epoch), the same on every instance. */
  readonly since: number;
  /** The encoded `ModelDescriptor`. */
  readonly descriptor: Uint8Array;
}

export interface LoadFailure {
  readonly name: string;
  readonly message: string;
  readonly at: number;
}

export interface ModelSlot {
  readonly current?: ServingModel;
  readonly lastError?: LoadFailure;
}

type SlotHeader = { readonly current?: Omit<ServingModel, 'descriptor'>; readonly lastError?: LoadFailure };

/** A corrupt slot in a store: written by another version, or damaged. */
export class ModelSlotError extends Error {
  override readonly name = 'ModelSlotError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// Layout: u32 header length, the header as UTF-8 JSON, then the descriptor bytes (kept raw: a
// PMML document or a frozen graph can be megabytes, which base64 in JSON would grow by a third).
export function encodeModelSlot(slot: ModelSlot): Uint8Array {
  const { current, lastError } = slot;
  const header: SlotHeader = {
    ...(current && { current: { id: current.id, name: current.name, description: current.description, modelType: current.modelType, since: current.since } }),
    ...(lastError && { lastError }),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const descriptor = current?.descriptor ?? new Uint8Array(0);
  const out = Buffer.allocUnsafe(4 + json.length + descriptor.byteLength);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  out.set(descriptor, 4 + json.length);
  return out;
}

export function decodeModelSlot(bytes: Uint8Array): ModelSlot {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4) throw new ModelSlotError(`a model slot needs at least 4 bytes, got ${buf.length}`);
  const length = buf.readUInt32BE(0);
  if (4 + length > buf.length) throw new ModelSlotError(`a model slot header of ${length} bytes does not fit in ${buf.length} bytes`);
  let header: SlotHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 4, 4 + length)) as SlotHeader;
  } catch (cause) {
    throw new ModelSlotError('the model slot header is not JSON', { cause });
  }
  const descriptor = buf.subarray(4 + length);
  return {
    ...(header.current && { current: { ...header.current, descriptor } }),
    ...(header.lastError && { lastError: header.lastError }),
  };
}

export const modelSlotSerde: Serde<ModelSlot> = {
  serialize: (slot) => encodeModelSlot(slot),
  deserialize: (bytes) => decodeModelSlot(bytes),
};
