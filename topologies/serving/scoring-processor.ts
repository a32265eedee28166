// The data topic's processor: scores each `WineRecord` with the current model of its dataType
// and sends a `ServingResult` per record. The model normally comes ready from the instance's
// cache (the models processor compiled it when it arrived), so the hot path is a store read, a
// Map lookup and a synchronous `score`. Only the first record after a restart, or on a task
// whose instance has not compiled the model yet, waits for a compile (process returns a Promise).
//
// Records are scored one at a time, as they come: a result must carry its record's offset and
// reach the sink before the runtime commits the fetched batch (at-least-once), and processors
// get no "batch done" call before that commit. Buffering for `scoreBatch` until a punctuation
// would let a commit pass records whose results were not sent yet.
import { performance } from 'node:perf_hooks';
import {
  Record, RecordError, decodeModelDescriptor,
  type FeatureRecord, type KeyValueStore, type Model, type Processor, type ProcessorContext, type ProcessorSupplier,
  type ServingOutcome, type ServingResult, type WineRecord,
} from '../../lib/index.ts';
import type { ModelCache } from './model-cache.ts';
import { decodeModelSlot, type ServingModel } from './model-slot.ts';
import type { ServingLog } from './model-processor.ts';
import { emptyTaskStats, recordScoring, startServing, type TaskStats } from './stats.ts';

export interface ScoringOptions {
  readonly modelsStore: string;
  readonly statsStore: string;
  readonly cache: ModelCache;
  readonly log: ServingLog;
}

export function scoringProcessor(options: ScoringOptions): ProcessorSupplier<unknown, WineRecord | null, string, ServingResult> {
  return () => new ScoringProcessor(options);
}

/** Log the first skip of a dataType, then one in this many. */
const SKIP_LOG_EVERY = 1000;

class ScoringProcessor implements Processor<unknown, WineRecord | null, string, ServingResult> {
  #context!: ProcessorContext<string, ServingResult>;
  #models!: KeyValueStore<string, Uint8Array>;
  #statsStore!: KeyValueStore<string, TaskStats>;
  /** The last slot bytes seen per dataType and their decoding: the store hands back the same bytes until the slot changes. */
  readonly #slots = new Map<string, { readonly bytes: Uint8Array; readonly model: ServingModel | undefined }>();
  /** This task's statistics, mirrored so that a record costs one store write and no read. */
  readonly #stats = new Map<string, TaskStats>();

  constructor(private readonly options: ScoringOptions) {}

  init(context: ProcessorContext<string, ServingResult>): void {
    this.#context = context;
    this.#models = context.getStateStore(this.options.modelsStore);
    this.#statsStore = context.getStateStore(this.options.statsStore);
  }

  process(record: Record<unknown, WineRecord | null>): void | Promise<void> {
    const wine = record.value;
    if (wine === null) return; // a tombstone: nothing to score
    const { dataType } = wine;
    const model = this.#currentModel(dataType);
    if (!model) return this.#skip(dataType);
    const { cache } = this.options;
    const cached = cache.peek(dataType, model.id);
    if (cached?.kind === 'ready') return this.#score(cached.model, model, wine, record);
    if (cached?.kind === 'failed') return this.#unavailable(dataType, cached.error);
    return cache.load(dataType, model.id, () => decodeModelDescriptor(model.descriptor)).then(
      (compiled) => this.#score(compiled, model, wine, record),
      (err: unknown) => this.#unavailable(dataType, err instanceof Error ? err : new Error(String(err)), model.name),
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

  #score(compiled: Model, model: ServingModel, wine: WineRecord, record: Record<unknown, WineRecord | null>): void {
    const started = performance.now();
    let outcome: ServingOutcome;
    try {
      const prediction = compiled.score(wine as unknown as FeatureRecord);
      outcome = prediction.probabilities
        ? { kind: 'scored', value: prediction.value, probabilities: prediction.probabilities }
        : { kind: 'scored', value: prediction.value };
    } catch (err) {
      // A record the model cannot score fails alone; anything else is a fault for the handler.
      if (!(err instanceof RecordError)) throw err;
      outcome = { kind: 'failed', error: err.message };
    }
    const ms = performance.now() - started;
    let stats = this.#statsFor(wine.dataType);
    if (stats.modelId !== model.id) stats = startServing(stats, model);
    if (outcome.kind === 'scored') stats = recordScoring(stats, ms);
    this.#put(stats);
    const meta = this.#context.recordMetadata();
    const result: ServingResult = {
      dataType: wine.dataType, modelName: model.name, modelType: model.modelType, outcome, durationMs: ms,
      timestamp: record.timestamp, partition: meta?.partition ?? -1, offset: String(meta?.offset ?? -1),
    };
    this.#context.forward(new Record(wine.dataType, result, record.timestamp));
  }

  /** No model for the record ("No model available - skipping", as in the tutorial). */
  #skip(dataType: string): void {
    const stats = this.#statsFor(dataType);
    this.#put({ ...stats, skipped: stats.skipped + 1 });
    if (stats.skipped % SKIP_LOG_EVERY === 0) {
      this.options.log(`No model available for dataType '${dataType}' - skipping (${stats.skipped + 1} so far in task ${this.#context.taskId})`);
    }
  }

  /** The current model does not compile here although it did where it was accepted (e.g. a `location` missing on this host). */
  #unavailable(dataType: string, error: Error, modelName?: string): void {
    const stats = this.#statsFor(dataType);
    if (stats.lastError?.message !== error.message) {
      this.#put({ ...stats, lastError: { name: error.name, message: error.message, at: this.#context.currentSystemTimeMs() } });
      this.options.log(`model ${modelName === undefined ? '' : `'${modelName}' `}for dataType '${dataType}' cannot be loaded in task ${this.#context.taskId}: ${error.message}`);
    }
    this.#skip(dataType);
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
