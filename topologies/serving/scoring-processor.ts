// The data topic's processor: scores each `WineRecord` with the current model of its dataType
// and sends a `ServingResult` per record. The model slot is read from the models store (Processor
// API) or comes joined to the record (DSL: the data stream joined with the models table). The
// model normally comes ready from the instance's cache (the models processor compiled it when it
// arrived), so the hot path is a store read, a Map lookup and, per batch, a synchronous
// `scoreBatch`. Only the first record after a restart, or on a task whose instance has not
// compiled the model yet, waits for a compile (process returns a Promise).
//
// Records are scored per batch (tfjs costs ~55 µs per record alone, ~2 µs in a
// batch): `process` buffers each record with its metadata, and `flush`, which the task calls
// before every commit (end of a fetched batch, and before close), scores each dataType's buffer
// with one `scoreBatch` and forwards the results in arrival order, so no commit passes a record
// whose result was not sent (at-least-once). A buffer that reaches MAX_BATCH is flushed early.
//
// Several models per dataType: a record goes to the champion or, in a weighted split, to the
// model its key hashes to. Shadow challengers score each answered batch on their own thread
// (shadow-dispatch.ts), after every answer of the batch is sent, so one that throws, is slow or
// compiles for a minute never delays an answer.
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Record, type KeyValueStore, type Processor, type ProcessorContext, type ProcessorSupplier } from '../../lib/index.ts';
import type { FeatureRecord, Model } from '../../lib/models/index.ts';
import { decodeModelDescriptor, type ServingOutcome, type ServingResult, type WineRecord } from '../codecs/messages.ts';
import { ShadowDispatch } from './shadow-dispatch.ts';
import type { ModelCache } from './model-cache.ts';
import { decodeModelSlot, type ServingModel } from './model-slot.ts';
import { answerers, pickAnswering, type Answerers } from './roles.ts';
import { addScored, emptyRoleCounts, type RoleCounts } from './role-stats.ts';
import type { ServingLog } from './model-processor.ts';
import { BAD_INPUT_KEY, emptyTaskStats, recordBatch, startServing, type TaskStats } from './stats.ts';
import { badRecord, countBadRecord, type BadRecord } from './bad-records.ts';

export interface ScoringOptions {
  readonly statsStore: string;
  readonly cache: ModelCache;
  readonly log: ServingLog;
  /** Records buffered per dataType before they are scored without waiting for the batch end (default MAX_BATCH). */
  readonly maxBatch?: number;
  /** The shadow results' sink (none: shadows are scored and counted, their results not sent). */
  readonly shadowSink?: string;
  /** The answers' sink (none: every child; a topology with a shadow sink names it). */
  readonly resultsSink?: string;
  /** A shadow whose batch takes longer than this (default 100 ms) is paused for `shadowPauseMs` (default 10 s). */
  readonly shadowBudgetMs?: number;
  readonly shadowPauseMs?: number;
  /** The module the shadow thread loads its models with (default: the application's loader; a function cannot cross threads). */
  readonly shadowLoader?: string;
}

/** A data record with its dataType's model slot, as the join with the models table gives it (null: no model). */
export interface ModelJoined {
  readonly wine: WineRecord;
  readonly slot: Uint8Array | null;
}

/** Processor API: each record's model slot is read from the models store; bad input is counted here. */
export function scoringProcessor(options: ScoringOptions & { readonly modelsStore: string }): ProcessorSupplier<unknown, WineRecord | null, string, ServingResult> {
  return () => new ScoringProcessor(options) as Processor<unknown, WineRecord | null, string, ServingResult>;
}

/** DSL: the join attached each record's slot, and bad input was counted before it (the join drops null values). */
export function joinedScoringProcessor(options: ScoringOptions): ProcessorSupplier<unknown, ModelJoined, string, ServingResult> {
  return () => new ScoringProcessor(options) as Processor<unknown, ModelJoined, string, ServingResult>;
}

/** Log the first skip of a dataType, then one in this many. */
const SKIP_LOG_EVERY = 1000;

/** Buffer bound per dataType: a fetched batch can hold many thousand records; tfjs gains little past ~1k rows. */
export const MAX_BATCH = 1024;
/** Records scored in one call when a flush holds more (models gain little past a few hundred rows). */
const SUB_BATCH = 256;
/** A flush lets the event loop run between sub-batches once it has held it this long. */
const YIELD_AFTER_MS = 5;

/** A buffered record: what its result needs, read in `process` (the metadata is gone in `flush`). */
interface Pending {
  readonly wine: WineRecord;
  /** What picks the split model: the record key, else its partition and offset. */
  readonly routing: Uint8Array | string;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
  result?: ServingResult;
}

/** The records of one dataType buffered for one model (a new model mid-batch starts another group). */
interface Group {
  readonly dataType: string;
  readonly model: ServingModel;
  /** The model's lane in the cache (see `cacheLane`); equal to the dataType for the champion. */
  readonly lane: string;
  readonly champion: boolean;
  readonly records: Pending[];
}

/** How often results that came back from the shadow thread are forwarded when no batch does it. */
const SHADOW_DRAIN_MS = 100;

interface Roles {
  readonly answerers: Answerers | undefined;
  readonly championId: string | undefined;
  readonly shadows: readonly ServingModel[];
}

const NO_ROLES: Roles = { answerers: undefined, championId: undefined, shadows: [] };

class ScoringProcessor implements Processor<unknown, WineRecord | null | ModelJoined, string, ServingResult> {
  #context!: ProcessorContext<string, ServingResult>;
  /** The models store, when slots are read from it rather than joined to the records. */
  #models: KeyValueStore<string, Uint8Array> | undefined;
  #statsStore!: KeyValueStore<string, TaskStats>;
  /** The last slot bytes seen per dataType and their decoding: the store hands back the same bytes until the slot changes. */
  readonly #slots = new Map<string, { readonly bytes: Uint8Array; readonly roles: Roles }>();
  /** This task's statistics, mirrored so that a batch costs one store write per dataType and no read. */
  readonly #stats = new Map<string, TaskStats>();
  /** Buffered records in arrival order, and the same records grouped by dataType and model. */
  #arrived: Pending[] = [];
  #groups = new Map<string, Group>();
  readonly #maxBatch: number;
  readonly #shadows: ShadowDispatch;

  constructor(private readonly options: ScoringOptions & { readonly modelsStore?: string }) {
    this.#maxBatch = Math.max(1, options.maxBatch ?? MAX_BATCH);
    this.#shadows = new ShadowDispatch(options, {
      shadows: (dataType) => this.#roles(dataType).shadows,
      count: (dataType, shadow, change) => this.#roleCounts(dataType, shadow, 'shadow', change),
      forward: (dataType, result, timestamp, sink) => this.#context.forward(new Record(dataType, result, timestamp), sink),
      taskId: () => this.#context.taskId,
    });
  }

  init(context: ProcessorContext<string, ServingResult>): void {
    this.#context = context;
    if (this.options.modelsStore !== undefined) this.#models = context.getStateStore(this.options.modelsStore);
    this.#statsStore = context.getStateStore(this.options.statsStore);
    // Shadow results that come back while no batch arrives are sent from here.
    context.schedule(SHADOW_DRAIN_MS, 'wall-clock', () => this.#shadows.drain());
  }

  process(record: Record<unknown, WineRecord | null | ModelJoined>): void | Promise<void> {
    let wine: WineRecord, slot: Uint8Array | null | undefined;
    if (this.#models) {
      wine = record.value as WineRecord;
      const bad = badRecord(record.value as WineRecord | null);
      if (bad) return this.#badInput(bad);
      slot = this.#models.get(wine.dataType);
    } else {
      ({ wine, slot } = record.value as ModelJoined);
    }
    const roles = this.#rolesOf(wine.dataType, slot ?? undefined);
    if (!roles.answerers) return this.#skip(wine.dataType, 1);
    const meta = this.#context.recordMetadata();
    const partition = meta?.partition ?? -1, offset = meta?.offset ?? -1;
    const key = record.key;
    const routing = key instanceof Uint8Array && key.length > 0 ? key : typeof key === 'string' && key ? key : `${partition}:${offset}`;
    const pending: Pending = { wine, routing, timestamp: record.timestamp, partition, offset };
    const { model, lane } = pickAnswering(roles.answerers, routing);
    const champion = model.id === roles.championId;
    // Compile (or wait for the compile) now, so that a model that cannot load skips its records
    // here, and the batch end finds the model ready.
    const compiled = this.#compiled(wine.dataType, lane, model, 1);
    if (compiled instanceof Promise) return compiled.then((m) => (m ? this.#buffer(pending, model, lane, champion) : undefined));
    if (compiled) return this.#buffer(pending, model, lane, champion);
  }

  /** Scores what was buffered, one `scoreBatch` per dataType and model, and forwards the results in arrival order. */
  flush(): void | Promise<void> {
    this.#shadows.drain();
    if (this.#arrived.length === 0) return;
    const arrived = this.#arrived;
    const groups = [...this.#groups.values()];
    this.#arrived = [];
    this.#groups = new Map();
    const models = groups.map((g) => this.#compiled(g.dataType, g.lane, g.model, g.records.length));
    if (models.some((m) => m instanceof Promise)) {
      return Promise.all(models).then((ready) => this.#scoreAll(arrived, groups, ready));
    }
    return this.#scoreAll(arrived, groups, models as (Model | undefined)[]);
  }

  #buffer(pending: Pending, model: ServingModel, lane: string, champion: boolean): void | Promise<void> {
    const key = `${lane}\u0000${model.id}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { dataType: pending.wine.dataType, model, lane, champion, records: [] };
      this.#groups.set(key, group);
    }
    group.records.push(pending);
    this.#arrived.push(pending);
    if (group.records.length >= this.#maxBatch) return this.flush();
  }

  /**
   * Scores the groups and forwards every result in arrival order. A flush of more than
   * SUB_BATCH records scores them in sub-batches and, once it has held the event loop for
   * YIELD_AFTER_MS, lets the loop run between two (a query on the same loop waits for at most
   * one sub-batch); results are still all forwarded at the end, in arrival order.
   */
  #scoreAll(arrived: readonly Pending[], groups: readonly Group[], models: readonly (Model | undefined)[]): void | Promise<void> {
    let fault: unknown;
    const score = (group: Group, model: Model) => {
      try {
        this.#scoreGroup(group, model);
      } catch (err) {
        // Not a record's fault (those come back as 'failed' outcomes): the handler decides, once
        // the other groups' results are sent.
        fault ??= err;
      }
    };
    const finish = () => {
      for (const p of arrived) if (p.result) this.#context.forward(new Record(p.wine.dataType, p.result, p.timestamp), this.options.resultsSink);
      // Only now, with every answer sent: nothing a shadow does can change or hold back one of them.
      for (const group of groups) this.#shadows.submit(group.dataType, group.records.filter((p): p is Pending & { result: ServingResult } => p.result !== undefined));
      if (fault !== undefined) throw fault;
    };
    if (arrived.length <= SUB_BATCH) {
      groups.forEach((group, i) => { if (models[i]) score(group, models[i]); }); // no model: skipped and counted by #compiled
      return finish();
    }
    return (async () => {
      let since = performance.now();
      for (const [i, group] of groups.entries()) {
        const model = models[i];
        if (!model) continue;
        for (let at = 0; at < group.records.length; at += SUB_BATCH) {
          score({ ...group, records: group.records.slice(at, at + SUB_BATCH) }, model);
          if (performance.now() - since > YIELD_AFTER_MS) {
            await yieldToLoop();
            since = performance.now();
          }
        }
      }
      finish();
    })();
  }

  close(): void {
    this.#shadows.close();
  }

  #roleCounts(dataType: string, model: ServingModel, role: RoleCounts['role'], change: (c: RoleCounts) => RoleCounts): void {
    const stats = this.#statsFor(dataType);
    const previous = stats.others?.[model.name];
    const counts = change(previous?.modelId === model.id ? previous : emptyRoleCounts(model.id, role));
    this.#put({ ...stats, others: { ...stats.others, [model.name]: counts } });
  }

  #scoreGroup({ dataType, model, records, champion }: Group, compiled: Model): void {
    const started = performance.now();
    const outcomes = compiled.scoreBatch(records.map((p) => p.wine as unknown as FeatureRecord));
    const batchMs = performance.now() - started;
    // One call scores the whole batch, so each record's time is its share: the batch time
    // divided by its size. Statistics' min/max are of these shares, and stay per-record figures.
    const ms = batchMs / records.length;
    let scored = 0;
    records.forEach((p, i) => {
      const o = outcomes[i]!;
      let outcome: ServingOutcome;
      if (o.kind === 'scored') {
        scored++;
        const { value, probabilities } = o.prediction;
        outcome = probabilities ? { kind: 'scored', value, probabilities } : { kind: 'scored', value };
      } else {
        outcome = { kind: 'failed', error: o.error.message };
      }
      p.result = {
        dataType, modelName: model.name, modelType: model.modelType, outcome, durationMs: ms,
        timestamp: p.timestamp, partition: p.partition, offset: String(p.offset),
      };
    });
    if (!champion) {
      if (scored > 0) this.#roleCounts(dataType, model, 'split', (c) => addScored(c, scored, ms));
      return;
    }
    let stats = this.#statsFor(dataType);
    if (stats.modelId !== model.id) stats = startServing(stats, model);
    // A record the model cannot score gets a failed result but is no invocation.
    if (scored > 0) stats = recordBatch(stats, scored, ms);
    this.#put(stats);
  }

  /**
   * The compiled model, or a Promise of it when it is still compiling (awaited once). A model
   * that does not compile here skips `records` records and gives undefined.
   */
  #compiled(dataType: string, lane: string, model: ServingModel, records: number): Model | undefined | Promise<Model | undefined> {
    const { cache } = this.options;
    const cached = cache.peek(lane, model.id);
    if (cached?.kind === 'ready') return cached.model;
    if (cached?.kind === 'failed') return this.#unavailable(dataType, cached.error, records);
    return cache.load(lane, model.id, () => decodeModelDescriptor(model.descriptor)).then(
      (compiled) => compiled,
      (err: unknown) => this.#unavailable(dataType, err instanceof Error ? err : new Error(String(err)), records, model.name),
    );
  }

  /** The roles of the dataType's slot last seen by `process` (a batch's records are scored with the slot they came with). */
  #roles(dataType: string): Roles {
    return this.#slots.get(dataType)?.roles ?? NO_ROLES;
  }

  #rolesOf(dataType: string, bytes: Uint8Array | undefined): Roles {
    if (bytes === undefined) {
      this.#slots.delete(dataType);
      return NO_ROLES;
    }
    const seen = this.#slots.get(dataType);
    if (seen?.bytes === bytes) return seen.roles;
    const slot = decodeModelSlot(bytes);
    const roles: Roles = { answerers: answerers(dataType, slot), championId: slot.current?.id, shadows: slot.shadows ?? [] };
    this.#slots.set(dataType, { bytes, roles });
    return roles;
  }

  /** A record that is not one to serve: counted per reason under BAD_INPUT_KEY, logged now and then. */
  #badInput(bad: BadRecord): void {
    this.#put(countBadRecord(this.#statsFor(BAD_INPUT_KEY), bad, this.#context as ProcessorContext<unknown, unknown>, this.options.log));
  }

  /** No model for the records ("No model available - skipping", as in the tutorial). */
  #skip(dataType: string, records: number): void {
    const stats = this.#statsFor(dataType);
    this.#put({ ...stats, skipped: stats.skipped + records });
    // Logs the first skip and every SKIP_LOG_EVERY-th: when this call's skips cross a multiple.
    if (Math.floor((stats.skipped + records - 1) / SKIP_LOG_EVERY) !== Math.floor((stats.skipped - 1) / SKIP_LOG_EVERY)) {
      this.options.log(`No model available for dataType '${dataType}' - skipping (${stats.skipped + records} so far in task ${this.#context.taskId})`);
    }
  }

  /** The current model does not compile here although it did where it was accepted (e.g. a `location` missing on this host). */
  #unavailable(dataType: string, error: Error, records: number, modelName?: string): undefined {
    const stats = this.#statsFor(dataType);
    if (stats.lastError?.message !== error.message) {
      this.#put({ ...stats, lastError: { name: error.name, message: error.message, at: this.#context.currentSystemTimeMs() } });
      this.options.log(`model ${modelName === undefined ? '' : `'${modelName}' `}for dataType '${dataType}' cannot be loaded in task ${this.#context.taskId}: ${error.message}`);
    }
    this.#skip(dataType, records);
    return undefined;
  }

  #statsFor(dataType: string): TaskStats {
    let stats = this.#stats.get(dataType);
    if (!stats) {
      stats = this.#statsStore.get(dataType) ?? emptyTaskStats(dataType);
      this.#stats.set(dataType, stats);
    }
    return stats;
  }

  #put(stats: TaskStats): void {
    this.#stats.set(stats.dataType, stats);
    this.#statsStore.put(stats.dataType, stats);
  }
}
