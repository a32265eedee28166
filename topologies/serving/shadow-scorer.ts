// Shadow challengers score on their own thread, never on a stream thread: a shadow that throws,
// busy-loops for seconds or takes a minute to compile costs the champion's answers nothing. One
// worker per loader module in this thread (every task of every serving topology here shares it),
// started with the first shadow batch. When the last scoring processor using it closes, it drops
// its models and stays, unreferenced, for the next; if it is still busy then, it is ended.
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
  readonly kind: 'score';
  readonly job: number;
  readonly lane: string;
  readonly modelId: string;
  readonly descriptor?: Uint8Array;
  readonly records: PackedRecords;
}

/** What the worker is sent: a batch, or an order to close every model it holds. */
export type ShadowMessage = ShadowJob | { readonly kind: 'clear' };

export type ShadowOutcome = Extract<ServingOutcome, { kind: 'failed' }> | { readonly kind: 'scored'; readonly value: number | string | null };

export type ShadowReply =
  /** `outcomes` is a Float64Array of the values when every record scored a number (cheaper to post than objects). */
  | { readonly job: number; readonly kind: 'scored'; readonly outcomes: readonly ShadowOutcome[] | Float64Array; readonly batchMs: number }
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
  /** A number per owner (a topology's model cache), to keep owners' lanes apart in the worker. */
  readonly #owners = new WeakMap<object, number>();
  #nextOwner = 1;

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
    // A worker still scoring may be stuck in a shadow's loop for long: end it rather than wait.
    if (this.#pending.size > 0) return this.#stop('the shadow scorer was closed');
    this.#sent = new Map();
    this.#worker?.postMessage({ kind: 'clear' } satisfies ShadowMessage);
  }

  /** Queues a batch; false (nothing queued) when `maxJobs` batches are outstanding already. */
  submit(owner: object, lane: string, model: { readonly id: string; readonly descriptor: Uint8Array }, records: PackedRecords, done: (result: ShadowResult) => void): boolean {
    if (this.#pending.size >= (this.#options.maxJobs ?? SHADOW_MAX_JOBS)) return false;
    const worker = this.#start();
    const job = this.#nextJob++;
    // Two topologies here may have the same dataType and shadow name: their lanes stay apart.
    lane = `${this.#ownerId(owner)}\u0000${lane}`;
    const first = this.#sent.get(lane) !== model.id;
    this.#sent.set(lane, model.id);
    if (this.#pending.size === 0) worker.ref();
    this.#pending.set(job, done);
    const message: ShadowJob = { kind: 'score', job, lane, modelId: model.id, records, ...(first && { descriptor: model.descriptor }) };
    worker.postMessage(message);
    return true;
  }

  /** Resolves once every job sent so far has its reply (tests, and a clean close). */
  idle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #ownerId(owner: object): number {
    let id = this.#owners.get(owner);
    if (id === undefined) this.#owners.set(owner, (id = this.#nextOwner++));
    return id;
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const tsx = fromSources ? import.meta.resolve('tsx/esm/api') : undefined;
    const workerData: ShadowWorkerData & { entry: string; tsx?: string } = { loaderModule: this.#options.loaderModule, entry: ENTRY, ...(tsx && { tsx }) };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData, name: 'shadow-models' });
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
    // Idle, the worker never keeps a process alive that is otherwise done; with batches in it, it
    // does (they are awaited, and a close ends it). After the listeners: attaching one refs it.
    worker.unref();
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
    this.#worker?.unref();
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

const scorers = new Map<string, ShadowScorer>();

/** The scorer of this thread for `options.loaderModule`, made on the first call. */
export function shadowScorerFor(options: ShadowScorerOptions): ShadowScorer {
  let scorer = scorers.get(options.loaderModule);
  if (!scorer) {
    scorer = new ShadowScorer(options);
    scorers.set(options.loaderModule, scorer);
  }
  return scorer;
}

/** Resolves once every scorer of this thread has answered every batch sent so far (tests, benchmarks). */
export async function shadowsIdle(): Promise<void> {
  await Promise.all([...scorers.values()].map((s) => s.idle()));
}
