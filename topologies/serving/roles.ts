// Several models per dataType: how a model message or a command changes a dataType's slot, and
// which answering model a record goes to. Pure functions over `ModelSlot`, so every instance that
// reads the same models topic ends with the same slot.
import type { ModelCommand, ModelRole } from '../codecs/messages.ts';
import type { HistoryEntry, LoadFailure, ModelSlot, ServingModel } from './model-slot.ts';

/**
 * The model cache keeps a few identities per lane: the champion's versions share the dataType's
 * lane; each shadow or split model has its own, so that they never evict the champion.
 */
export function cacheLane(dataType: string, role: ModelRole, name: string): string {
  return role === 'champion' ? dataType : `${dataType}\u0000${role}\u0000${name}`;
}

const without = (models: readonly ServingModel[] | undefined, name: string) => (models ?? []).filter((m) => m.name !== name);
const orUndefined = <T>(list: readonly T[]) => (list.length ? list : undefined);

function ended(model: ServingModel, until: number, end: HistoryEntry['end'], keep: boolean): HistoryEntry {
  const { id, name, description, modelType, since, descriptor } = model;
  return { id, name, description, modelType, since, until, end, ...(keep && { descriptor }) };
}

function pushHistory(history: readonly HistoryEntry[] | undefined, entry: HistoryEntry, size: number): HistoryEntry[] {
  return [entry, ...(history ?? [])].slice(0, size);
}

function tidy(slot: ModelSlot): ModelSlot {
  const { split, shadows, history, ...rest } = slot;
  return {
    ...rest,
    ...(split?.length && { split }),
    ...(shadows?.length && { shadows }),
    ...(history?.length && { history }),
  };
}

/** The slot once `model` (which compiled) takes `role`. A model's name is its identity across roles: it holds one role at a time. */
export function withModel(slot: ModelSlot, model: ServingModel, role: ModelRole, historySize: number): ModelSlot {
  const split = without(slot.split, model.name);
  const shadows = without(slot.shadows, model.name);
  if (role === 'champion') {
    const history = slot.current ? pushHistory(slot.history, ended(slot.current, model.since, 'replaced', true), historySize) : slot.history ?? [];
    return tidy({ ...slot, current: model, split, shadows, history });
  }
  if (role === 'shadow') return tidy({ ...slot, split, shadows: [...shadows, model] });
  return tidy({ ...slot, shadows, split: (model.weight ?? 0) < 0 ? split : [...split, model] });
}

/** The slot once a model sent to be champion failed to load: recorded in the history and as `lastError`. */
export function withFailure(slot: ModelSlot, error: LoadFailure, champion: ServingModel | undefined, historySize: number): ModelSlot {
  if (!champion) return { ...slot, lastError: error };
  const entry: HistoryEntry = { ...ended(champion, error.at, 'failed', false), loadError: error };
  return tidy({ ...slot, lastError: error, history: pushHistory(slot.history, entry, historySize) });
}

export type CommandResult = { readonly kind: 'applied'; readonly slot: ModelSlot } | { readonly kind: 'refused'; readonly reason: string };

export function withCommand(slot: ModelSlot, command: ModelCommand, at: number, historySize: number): CommandResult {
  if (command.command === 'retire') {
    const known = [...(slot.split ?? []), ...(slot.shadows ?? [])].some((m) => m.name === command.name);
    if (!known) return { kind: 'refused', reason: `no shadow or split model is called '${command.name}'` };
    return { kind: 'applied', slot: tidy({ ...slot, split: without(slot.split, command.name), shadows: without(slot.shadows, command.name) }) };
  }
  const index = (slot.history ?? []).findIndex((h) => h.end === 'replaced' && h.descriptor);
  if (index < 0) return { kind: 'refused', reason: 'no previous version to roll back to' };
  const target = slot.history![index]!;
  const rest = slot.history!.filter((_, i) => i !== index);
  const restored: ServingModel = {
    id: target.id, name: target.name, description: target.description, modelType: target.modelType, since: at, descriptor: target.descriptor!,
  };
  const history = slot.current ? pushHistory(rest, ended(slot.current, at, 'rolled-back', false), historySize) : rest;
  return { kind: 'applied', slot: tidy({ ...slot, current: restored, history }) };
}

/** An answering model and its lane in the cache. */
export interface Answering {
  readonly model: ServingModel;
  readonly lane: string;
}

/** The champion and the split models, with cumulative weights for `pickAnswering`. */
export interface Answerers {
  readonly models: readonly Answering[];
  /** Cumulative shares in [0, 1], one per model; the last is 1. */
  readonly bounds: readonly number[];
}

export function answerers(dataType: string, slot: ModelSlot): Answerers | undefined {
  const models: Answering[] = [];
  if (slot.current) models.push({ model: slot.current, lane: cacheLane(dataType, 'champion', slot.current.name) });
  // By name, so that every instance orders the split the same way.
  for (const m of [...(slot.split ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
    models.push({ model: m, lane: cacheLane(dataType, 'split', m.name) });
  }
  if (models.length === 0) return undefined;
  const weights = models.map(({ model }) => (model.weight && model.weight > 0 ? model.weight : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const bounds = weights.map((w) => (sum += w) / total);
  bounds[bounds.length - 1] = 1;
  return { models, bounds };
}

/** The answering model for a record key: a hash of the key in [0, 1), the same on every instance and every run. */
export function pickAnswering(answering: Answerers, key: Uint8Array | string): Answering {
  if (answering.models.length === 1) return answering.models[0]!;
  const u = unitHash(key);
  const i = answering.bounds.findIndex((b) => u < b);
  return answering.models[i < 0 ? answering.models.length - 1 : i]!;
}

/** FNV-1a (32-bit) of the key's bytes, scaled to [0, 1). */
export function unitHash(key: Uint8Array | string): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche: FNV's low bits are weak for short keys that differ in their last byte.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0; h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0; h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
