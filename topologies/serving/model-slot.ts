// What the models global store holds per dataType: the champion that answers (its descriptor
// bytes, exactly as they came from the models topic), the models of a weighted split and the
// shadow challengers, the champion's previous versions, and the last model that failed to load.
// Only models that compiled are ever put here to serve, so a restart restores models that work.
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
  /** Relative share of the records it answers (champion and split models; absent: 1). */
  readonly weight?: number;
  /** The encoded `ModelDescriptor`. */
  readonly descriptor: Uint8Array;
}

export interface LoadFailure {
  readonly name: string;
  readonly message: string;
  readonly at: number;
}

/** A champion that served before the current one, or a model sent to be champion that did not load. */
export interface HistoryEntry {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly modelType: number;
  readonly since: number;
  /** When another model replaced it (or it failed: the time of the failure). */
  readonly until: number;
  /** How it ended: replaced by a newer model, rolled back from, or never served (did not load). */
  readonly end: 'replaced' | 'rolled-back' | 'failed';
  readonly loadError?: LoadFailure;
  /** Its descriptor, kept while it can be rolled back to (replaced versions only). */
  readonly descriptor?: Uint8Array;
}

export interface ModelSlot {
  /** The champion. */
  readonly current?: ServingModel;
  /** Models that answer a weighted share of the records beside the champion. */
  readonly split?: readonly ServingModel[];
  /** Challengers scored in the champion's shadow. */
  readonly shadows?: readonly ServingModel[];
  /** The champion's previous versions, newest first. */
  readonly history?: readonly HistoryEntry[];
  readonly lastError?: LoadFailure;
  /**
   * Where the last models record applied to this slot was read. The models topic is keyed by
   * dataType, so a slot's records come from one partition: a record at or below it is a replay
   * (after a crash) and is skipped. Absent in slots written before it was kept.
   */
  readonly applied?: AppliedAt;
}

export interface AppliedAt {
  readonly partition: number;
  readonly offset: number;
}

type Header<T> = Omit<T, 'descriptor'>;
interface SlotHeader {
  readonly current?: Header<ServingModel>;
  readonly split?: Header<ServingModel>[];
  readonly shadows?: Header<ServingModel>[];
  readonly history?: (Header<HistoryEntry> & { readonly kept?: boolean })[];
  readonly lastError?: LoadFailure;
  readonly applied?: AppliedAt;
  /** Byte lengths of the descriptors that follow the header, in this order: current, split, shadows, kept history. Absent: the one-model layout, the current model's descriptor is the rest. */
  readonly lengths?: number[];
}

/** A corrupt slot in a store: written by another version, or damaged. */
export class ModelSlotError extends Error {
  override readonly name = 'ModelSlotError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const strip = <T extends { descriptor?: Uint8Array }>(m: T): Omit<T, 'descriptor'> => {
  const { descriptor: _d, ...rest } = m;
  return rest;
};

// Layout: u32 header length, the header as UTF-8 JSON, then the descriptors' bytes (kept raw: a
// PMML document or a frozen graph can be megabytes, which base64 in JSON would grow by a third).
export function encodeModelSlot(slot: ModelSlot): Uint8Array {
  const { current, split, shadows, history, lastError, applied } = slot;
  const blobs: Uint8Array[] = [];
  if (current) blobs.push(current.descriptor);
  for (const m of split ?? []) blobs.push(m.descriptor);
  for (const m of shadows ?? []) blobs.push(m.descriptor);
  for (const h of history ?? []) if (h.descriptor) blobs.push(h.descriptor);
  const several = Boolean(split?.length || shadows?.length || history?.length);
  const header: SlotHeader = {
    ...(current && { current: strip(current) }),
    ...(split?.length && { split: split.map(strip) }),
    ...(shadows?.length && { shadows: shadows.map(strip) }),
    ...(history?.length && { history: history.map((h) => ({ ...strip(h), ...(h.descriptor && { kept: true }) })) }),
    ...(lastError && { lastError }),
    ...(applied && { applied }),
    // A slot with only a champion keeps the layout older versions wrote and read.
    ...(several && { lengths: blobs.map((b) => b.byteLength) }),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const total = blobs.reduce((n, b) => n + b.byteLength, 0);
  const out = Buffer.allocUnsafe(4 + json.length + total);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, 4);
  let at = 4 + json.length;
  for (const b of blobs) { out.set(b, at); at += b.byteLength; }
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
  const body = buf.subarray(4 + length);
  if (!header.lengths) {
    return {
      ...(header.current && { current: { ...header.current, descriptor: body } }),
      ...(header.lastError && { lastError: header.lastError }),
      ...(header.applied && { applied: header.applied }),
    };
  }
  const lengths = header.lengths;
  if (lengths.reduce((a, b) => a + b, 0) !== body.length) throw new ModelSlotError(`a model slot's descriptors do not add up to its ${body.length} bytes`);
  let at = 0, i = 0;
  const next = (): Uint8Array => {
    const n = lengths[i++];
    if (n === undefined) throw new ModelSlotError('a model slot lists fewer descriptors than models');
    const out = body.subarray(at, at + n);
    at += n;
    return out;
  };
  const current = header.current && { ...header.current, descriptor: next() };
  const split = header.split?.map((m) => ({ ...m, descriptor: next() }));
  const shadows = header.shadows?.map((m) => ({ ...m, descriptor: next() }));
  const history = header.history?.map(({ kept, ...h }) => (kept ? { ...h, descriptor: next() } : h));
  return {
    ...(current && { current }),
    ...(split && { split }),
    ...(shadows && { shadows }),
    ...(history && { history }),
    ...(header.lastError && { lastError: header.lastError }),
    ...(header.applied && { applied: header.applied }),
  };
}

export const modelSlotSerde: Serde<ModelSlot> = {
  serialize: (slot) => encodeModelSlot(slot),
  deserialize: (bytes) => decodeModelSlot(bytes),
};
