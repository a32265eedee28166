// The data topic's processor: scores each `WineRecord` with the current model of its dataType
// and sends a `ServingResult` per record. The model normally comes ready from the instance's
// cache (the models processor compiled it when it arrived), so the hot path is a store read, a
// Map lookup and, per batch, a synchronous `scoreBatch`. Only the first record after a restart,
// or on a task whose instance has not compiled the model yet, waits for a compile (process
// returns a Promise).
//
// Records are scored per batch (tfjs costs ~55 µs per record alone, ~2 µs in a
// batch): `process` buffers each record with its metadata, and `flush`, which the task calls
// before every commit (end of a fetched batch, and before close), scores each dataType's buffer
// with one `scoreBatch` and forwards the results in arrival order, so no commit passes a record
// whose result was not sent (at-least-once). A buffer that reaches MAX_BATCH is flushed early.
import { performance } from 'node:perf_hooks';
import { Record, type KeyValueStore, type Processor, type ProcessorContext, type ProcessorSupplier } from '../../lib/index.ts';
import type { FeatureRecord, Model } from '../../lib/models/index.ts';
import { decodeModelDescriptor, type ServingOutcome, type ServingResult, type WineRecord } from '../codecs/messages.ts';
import type { ModelCache } from './model-cache.ts';
import { decodeModelSlot, type ServingModel } from './model-slot.ts';
import type { ServingLog } from './model-processor.ts';
import { BAD_INPUT_KEY, emptyTaskStats, recordBatch, startServing, type TaskStats } from './stats.ts';
import { NO_BAD_INPUT, addBadInput, dataTypeProblem, logsBadInput, preview } from './bad-input.ts';
import type { BadInputReason } from '../api.ts';

export interface ScoringOptions {
  readonly modelsStore: string;
  readonly statsStore: string;
  readonly cache: ModelCache;
  readonly log: ServingLog;
  /** Records buffered per dataType before they are scored without waiting for the batch end (default MAX_BATCH). */
  readonly maxBatch?: number;
}

export function scoringProcessor(options: ScoringOptions): ProcessorSupplier<unknown, WineRecord | null, string, ServingResult> {
  return () => new ScoringProcessor(options);
}

/** Log the first skip of a dataType, then one in this many. */
const SKIP_LOG_EVERY = 1000;

/** Buffer bound per dataType: a fetched batch can hold many thousand records; tfjs gains little past ~1k rows. */
export const MAX_BATCH = 1024;

/** A buffered record: what its result needs, read in `process` (the metadata is gone in `flush`). */
interface Pending {
  readonly wine: WineRecord;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
  result?: ServingResult;
}

/** The records of one dataType buffered for one model (a new model mid-batch starts another group). */
interface Group {
  readonly dataType: string;
  readonly model: ServingModel;
  readonly records: Pending[];
}

class ScoringProcessor implements Processor<unknown, WineRecord | null, string, ServingResult> {
  #context!: ProcessorContext<string, ServingResult>;
  #models!: KeyValueStore<string, Uint8Array>;
  #statsStore!: KeyValueStore<string, TaskStats>;
  /** The last slot bytes seen per dataType and their decoding: the store hands back the same bytes until the slot changes. */
  readonly #slots = new Map<string, { readonly bytes: Uint8Array; readonly model: ServingModel | undefined }>();
  /** This task's statistics, mirrored so that a batch costs one store write per dataType and no read. */
  readonly #stats = new Map<string, TaskStats>();
  /** Buffered records in arrival order, and the same records grouped by dataType and model. */
  #arrived: Pending[] = [];
  #groups = new Map<string, Group>();
  readonly #maxBatch: number;

  constructor(private readonly options: ScoringOptions) {
    this.#maxBatch = Math.max(1, options.maxBatch ?? MAX_BATCH);
  }

  init(context: ProcessorContext<string, ServingResult>): void {
    this.#context = context;
    this.#models = context.getStateStore(this.options.modelsStore);
    this.#statsStore = context.getStateStore(this.options.statsStore);
  }

  process(record: Record<unknown, WineRecord | null>): void | Promise<void> {
    const wine = record.value;
    if (wine === null) return this.#badInput('null-value', 'a null value (tombstone) has nothing to score');
    // Before the dataType is a store key, a result key or a label anywhere.
    const problem = dataTypeProblem(wine.dataType);
    if (problem) return this.#badInput('invalid-data-type', `its dataType ${preview(wine.dataType)} ${problem}`);
    const model = this.#currentModel(wine.dataType);
    if (!model) return this.#skip(wine.dataType, 1);
    const meta = this.#context.recordMetadata();
    const pending: Pending = { wine, timestamp: record.timestamp, partition: meta?.partition ?? -1, offset: meta?.offset ?? -1 };
    // Compile (or wait for the compile) now, so that a model that cannot load skips its records
    // here, and the batch end finds the model ready.
    const compiled = this.#compiled(wine.dataType, model, 1);
    if (compiled instanceof Promise) return compiled.then((m) => (m ? this.#buffer(pending, model) : undefined));
    if (compiled) return this.#buffer(pending, model);
  }

  /** Scores what was buffered, one `scoreBatch` per dataType and model, and forwards the results in arrival order. */
  flush(): void | Promise<void> {
    if (this.#arrived.length === 0) return;
    const arrived = this.#arrived;
    const groups = [...this.#groups.values()];
    this.#arrived = [];
    this.#groups = new Map();
    const models = groups.map((g) => this.#compiled(g.dataType, g.model, g.records.length));
    if (models.some((m) => m instanceof Promise)) {
      return Promise.all(models).then((ready) => this.#scoreAll(arrived, groups, ready));
    }
    this.#scoreAll(arrived, groups, models as (Model | undefined)[]);
  }

  #buffer(pending: Pending, model: ServingModel): void | Promise<void> {
    const key = `${pending.wine.dataType}\u0000${model.id}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { dataType: pending.wine.dataType, model, records: [] };
      this.#groups.set(key, group);
    }
    group.records.push(pending);
    this.#arrived.push(pending);
    if (group.records.length >= this.#maxBatch) return this.flush();
  }

  #scoreAll(arrived: readonly Pending[], groups: readonly Group[], models: readonly (Model | undefined)[]): void {
    let fault: unknown;
    groups.forEach((group, i) => {
      const model = models[i];
      if (!model) return; // no longer loads: skipped and counted by #compiled
      try {
        this.#scoreGroup(group, model);
      } catch (err) {
        // Not a record's fault (those come back as 'failed' outcomes): the handler decides, once
        // the other groups' results are sent.
        fault ??= err;
      }
    });
    for (const p of arrived) if (p.result) this.#context.forward(new Record(p.wine.dataType, p.result, p.timestamp));
    if (fault !== undefined) throw fault;
  }

  #scoreGroup({ dataType, model, records }: Group, compiled: Model): void {
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
  #compiled(dataType: string, model: ServingModel, records: number): Model | undefined | Promise<Model | undefined> {
    const { cache } = this.options;
    const cached = cache.peek(dataType, model.id);
    if (cached?.kind === 'ready') return cached.model;
    if (cached?.kind === 'failed') return this.#unavailable(dataType, cached.error, records);
    return cache.load(dataType, model.id, () => decodeModelDescriptor(model.descriptor)).then(
      (compiled) => compiled,
      (err: unknown) => this.#unavailable(dataType, err instanceof Error ? err : new Error(String(err)), records, model.name),
    );
  }

  #currentModel(dataType: string): ServingModel | undefined {
    const bytes = this.#models.get(dataType);
    if (bytes === undefined) return undefined;
    const seen = this.#slots.get(dataType);
    if (seen?.bytes === bytes) return seen.model;
    const model = decodeModelSlot(bytes).current;
    this.#slots.set(dataType, { bytes, model });
    return model;
  }

  /** A record that is not one to serve: counted per reason under BAD_INPUT_KEY, logged now and then. */
  #badInput(reason: BadInputReason, why: string): void {
    const entry = this.#statsFor(BAD_INPUT_KEY);
    const counts = addBadInput(entry.badInput ?? NO_BAD_INPUT, { [reason]: 1 });
    this.#put({ ...entry, badInput: counts });
    if (logsBadInput(counts[reason])) {
      const meta = this.#context.recordMetadata();
      const where = meta ? ` (${meta.topic}-${meta.partition} offset ${meta.offset})` : '';
      this.options.log(`skipping a record${where}: ${why} [${reason}: ${counts[reason]} so far in task ${this.#context.taskId}]`);
    }
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
