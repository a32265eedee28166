// Shadow challengers score on their own thread, never on a stream thread: a shadow that throws,
// busy-loops for seconds or takes a minute to compile costs the champion's answers nothing. One
// worker per model cache (the tasks of a topology object in this thread share it), started with
// the first shadow batch and ended when the last scoring processor using it closes.
//
// Jobs are bounded: past `maxJobs` outstanding batches a new one is refused and its records are
// counted as skipped by the caller. Replies come back on this thread's event loop through each
// job's callback; the scoring processor forwards and counts them on its own stream thread.
import { Worker } from 'node:worker_threads';
import type { ServingOutcome } from '../codecs/messages.ts';
import type { PackedRecords } from './packed-records.ts';

export interface ShadowWorkerData {
  /** A module exporting `loadModel` (or `defaultModelLoader`): a `ModelLoader` for the worker's own models. */
  readonly loaderModule: string;
}

/** One batch for one shadow model; `descriptor` is sent only the first time the worker meets this model in this lane. */
export interface ShadowJob {
  readonly job: number;
  readonly lane: string;
  readonly modelId: string;
  readonly descriptor?: Uint8Array;
  readonly records: PackedRecords;
}

export type ShadowOutcome = Extract<ServingOutcome, { kind: 'failed' }> | { readonly kind: 'scored'; readonly value: number | string | null };

export type ShadowReply =
  | { readonly job: number; readonly kind: 'scored'; readonly outcomes: readonly ShadowOutcome[]; readonly batchMs: number }
  /** scoreBatch threw: every record of the batch is an error. */
  | { readonly job: number; readonly kind: 'threw'; readonly message: string }
  /** The model did not load in the worker, or the worker died. */
  | { readonly job: number; readonly kind: 'unavailable'; readonly message: string };

export type ShadowResult = ShadowReply extends infer R ? (R extends ShadowReply ? Omit<R, 'job'> : never) : never;

/** Outstanding batches per worker before new ones are dropped (each at most MAX_BATCH records). */
export const SHADOW_MAX_JOBS = 32;

export interface ShadowScorerOptions {
  readonly loaderModule: string;
  readonly maxJobs?: number;
}

// Workers load their entry without the parent's --import hooks (Node 20), so from the TypeScript
// sources the worker registers tsx first; built, it imports plain .js.
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => setImmediate(() => { throw err; }));`;

const fromSources = import.meta.url.endsWith('.ts');
const ENTRY = new URL(fromSources ? './shadow-worker.ts' : './shadow-worker.js', import.meta.url).href;
/** The serving application's own loader, for the worker (a function cannot cross threads; a module can). */
export const DEFAULT_SHADOW_LOADER = new URL(fromSources ? './loader.ts' : './loader.js', import.meta.url).href;

export class ShadowScorer {
  readonly #options: ShadowScorerOptions;
  #worker: Worker | undefined;
  /** What the worker was sent per lane: the model identity it holds there. */
  #sent = new Map<string, string>();
  readonly #pending = new Map<number, (result: ShadowResult) => void>();
  #idle: (() => void)[] = [];
  #nextJob = 1;
  #users = 0;

  constructor(options: ShadowScorerOptions) {
    this.#options = options;
  }

  /** Jobs sent and not answered yet. */
  get outstanding(): number {
    return this.#pending.size;
  }

  /** A scoring processor starts using the worker; `release` when it closes. */
  acquire(): void {
    this.#users++;
  }

  release(): void {
    if (--this.#users > 0) return;
    this.#users = 0;
    this.#stop('the shadow scorer was closed');
  }

  /** Queues a batch; false (nothing queued) when `maxJobs` batches are outstanding already. */
  submit(lane: string, model: { readonly id: string; readonly descriptor: Uint8Array }, records: PackedRecords, done: (result: ShadowResult) => void): boolean {
    if (this.#pending.size >= (this.#options.maxJobs ?? SHADOW_MAX_JOBS)) return false;
    const worker = this.#start();
    const job = this.#nextJob++;
    const first = this.#sent.get(lane) !== model.id;
    this.#sent.set(lane, model.id);
    this.#pending.set(job, done);
    const message: ShadowJob = { job, lane, modelId: model.id, records, ...(first && { descriptor: model.descriptor }) };
    worker.postMessage(message);
    return true;
  }

  /** Resolves once every job sent so far has its reply (tests, and a clean close). */
  idle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const tsx = fromSources ? import.meta.resolve('tsx/esm/api') : undefined;
    const workerData: ShadowWorkerData & { entry: string; tsx?: string } = { loaderModule: this.#options.loaderModule, entry: ENTRY, ...(tsx && { tsx }) };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData, name: 'shadow-models' });
    // Best effort: the worker never keeps a process alive that is otherwise done.
    worker.unref();
    worker.on('message', (reply: ShadowReply) => {
      const done = this.#pending.get(reply.job);
      if (!done) return;
      this.#pending.delete(reply.job);
      const { job: _, ...result } = reply;
      done(result as ShadowResult);
      this.#settle();
    });
    worker.on('error', (err) => this.#stop(`the shadow thread failed: ${err.message}`));
    worker.on('exit', (code) => { if (this.#worker === worker) this.#stop(`the shadow thread exited (code ${code})`); });
    this.#worker = worker;
    return worker;
  }

  /** Ends the worker; outstanding jobs are answered `unavailable` (a later batch starts a new worker). */
  #stop(why: string): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#sent = new Map();
    if (worker) void worker.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const done of pending) done({ kind: 'unavailable', message: why });
    this.#settle();
  }

  #settle(): void {
    if (this.#pending.size > 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

const scorers = new WeakMap<object, ShadowScorer>();

/** The scorer shared by everything keyed by `owner` (the topology's model cache). */
export function shadowScorerFor(owner: object, options: ShadowScorerOptions): ShadowScorer {
  let scorer = scorers.get(owner);
  if (!scorer) {
    scorer = new ShadowScorer(options);
    scorers.set(owner, scorer);
  }
  return scorer;
}

/** The scorer of `owner`, if one was made (tests wait on it). */
export function existingShadowScorer(owner: object): ShadowScorer | undefined {
  return scorers.get(owner);
}
