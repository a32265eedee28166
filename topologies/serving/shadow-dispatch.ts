// The scoring processor's shadow half: hands each answered batch to the shadow thread
// (shadow-scorer.ts), once per shadow challenger of its dataType, and forwards and counts what
// comes back on the stream thread. Shadows are best effort: a full queue drops the batch (counted
// as skipped), one slower than the budget is paused, and a problem is logged once per change.
import { performance } from 'node:perf_hooks';
import type { FeatureRecord } from '../../lib/models/index.ts';
import type { ServingResult, WineRecord } from '../codecs/messages.ts';
import { packRecords } from './packed-records.ts';
import { compareShadow, type SentAnswer } from './shadow-results.ts';
import { DEFAULT_SHADOW_LOADER, shadowScorerFor, type ShadowResult, type ShadowScorer } from './shadow-scorer.ts';
import type { ModelCache } from './model-cache.ts';
import type { ServingModel } from './model-slot.ts';
import { cacheLane } from './roles.ts';
import type { RoleCounts } from './role-stats.ts';
import type { ServingLog } from './model-processor.ts';

/** An answered record: what a shadow scores and compares its outcome with. */
export interface Answered {
  readonly wine: WineRecord;
  readonly timestamp: number;
  readonly result: ServingResult;
}

export interface ShadowDispatchOptions {
  readonly cache: ModelCache;
  readonly log: ServingLog;
  readonly shadowSink?: string;
  readonly shadowBudgetMs?: number;
  readonly shadowPauseMs?: number;
  readonly shadowLoader?: string;
}

/** What the dispatch needs of its processor. */
export interface ShadowHost {
  /** The dataType's shadows in the slot last seen. */
  shadows(dataType: string): readonly ServingModel[];
  count(dataType: string, shadow: ServingModel, change: (c: RoleCounts) => RoleCounts): void;
  forward(dataType: string, result: ServingResult, timestamp: number, sink: string): void;
  taskId(): string;
}

/** A shadow batch's reply, with the answers it is compared with. */
interface ShadowDone {
  readonly dataType: string;
  readonly shadow: ServingModel;
  readonly lane: string;
  readonly sent: readonly SentAnswer[];
  readonly result: ShadowResult;
}

/** Log the first dropped batch, then one in this many. */
const DROP_LOG_EVERY = 1000;

export class ShadowDispatch {
  /** Shadow models paused for being slow: lane and id → until (performance.now()). */
  readonly #paused = new Map<string, number>();
  /** The shadow thread, taken on the first shadow batch; and what it sent back, not yet forwarded. */
  #scorer: ShadowScorer | undefined;
  #done: ShadowDone[] = [];
  /** Batches the full shadow queue refused, and the last problem logged per shadow lane. */
  #dropped = 0;
  readonly #problem = new Map<string, string>();

  constructor(private readonly options: ShadowDispatchOptions, private readonly host: ShadowHost) {}

  /** Submits an answered batch to every shadow of its dataType not paused; results come back through `drain`. */
  submit(dataType: string, answered: readonly Answered[]): void {
    const shadows = this.host.shadows(dataType);
    if (shadows.length === 0 || answered.length === 0) return;
    const scorer = this.#thread();
    // Packed once for every shadow: numbers in one typed array, cheaper to post than objects.
    const features = packRecords(answered.map((p) => p.wine as unknown as FeatureRecord));
    const sent = answered.map((p) => ({ result: p.result, timestamp: p.timestamp }));
    for (const shadow of shadows) {
      const lane = cacheLane(dataType, 'shadow', shadow.name);
      const pausedUntil = this.#paused.get(`${lane}\u0000${shadow.id}`);
      const paused = pausedUntil !== undefined && performance.now() < pausedUntil;
      const queued = !paused && scorer.submit(this.options.cache, lane, shadow, features, (result) => {
        this.#done.push({ dataType, shadow, lane, sent, result });
      });
      if (queued) continue;
      this.host.count(dataType, shadow, (c) => ({ ...c, skipped: c.skipped + answered.length }));
      if (!paused && this.#dropped++ % DROP_LOG_EVERY === 0) {
        this.#log(dataType, shadow, `was not scored on a batch of ${answered.length}: the shadow queue is full (${this.#dropped} batches dropped in task ${this.host.taskId()})`);
      }
    }
  }

  /** Forwards and counts the shadow results that came back since the last call (on the stream thread: flush and a punctuator). */
  drain(): void {
    if (this.#done.length === 0) return;
    const done = this.#done;
    this.#done = [];
    for (const d of done) this.#result(d);
  }

  close(): void {
    // Results still in flight are lost with the task (best effort; the answers were all sent).
    this.#done = [];
    this.#scorer?.release();
    this.#scorer = undefined;
  }

  #result({ dataType, shadow, lane, sent, result }: ShadowDone): void {
    // Retired or replaced while it scored: its counts would outlive it.
    if (!this.host.shadows(dataType).some((s) => s.id === shadow.id)) return;
    if (result.kind === 'unavailable' || result.kind === 'threw') {
      const unavailable = result.kind === 'unavailable';
      this.host.count(dataType, shadow, (c) => (unavailable ? { ...c, skipped: c.skipped + sent.length } : { ...c, errors: c.errors + sent.length }));
      if (this.#problem.get(lane) !== result.message) {
        this.#log(dataType, shadow, unavailable ? `is unavailable: ${result.message}` : `threw on a batch of ${sent.length}: ${result.message}`);
      }
      this.#problem.set(lane, result.message);
      return;
    }
    const { outcomes, batchMs } = result;
    if (batchMs > (this.options.shadowBudgetMs ?? 100)) {
      const pauseMs = this.options.shadowPauseMs ?? 10_000;
      this.#paused.set(`${lane}\u0000${shadow.id}`, performance.now() + pauseMs);
      this.#log(dataType, shadow, `took ${batchMs.toFixed(0)} ms for ${sent.length} records: paused for ${pauseMs} ms`);
    }
    const { results, counts } = compareShadow(shadow, sent, outcomes, batchMs);
    const sink = this.options.shadowSink;
    if (sink) results.forEach((r, i) => this.host.forward(dataType, r, sent[i]!.timestamp, sink));
    this.host.count(dataType, shadow, counts);
  }

  #thread(): ShadowScorer {
    if (!this.#scorer) {
      this.#scorer = shadowScorerFor({ loaderModule: this.options.shadowLoader ?? DEFAULT_SHADOW_LOADER });
      this.#scorer.acquire();
    }
    return this.#scorer;
  }

  #log(dataType: string, shadow: ServingModel, what: string): void {
    this.options.log(`shadow model '${shadow.name}' of dataType '${dataType}' ${what} (the answers were sent already)`);
  }
}
