// The instance's side of one stream thread: starts the worker, keeps its last report, matches
// replies to requests, and says once, with the cause, when the thread has died.
import { Worker } from 'node:worker_threads';
import type { PublishedSnapshot } from './published.ts';
import { fromWire, type ThreadMessage, type ThreadReport, type ThreadRequest, type ThreadStartData, type WireError } from './protocol.ts';

/** Requests wait at most this long for a thread that no longer answers. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface ThreadHandleOptions {
  readonly start: ThreadStartData;
  readonly onReport: (handle: ThreadHandle) => void;
  /** The thread has built its topology and waits for `release()`. */
  readonly onLoaded: (handle: ThreadHandle) => void;
  /** Called once when the thread fails (ERROR, an uncaught error, an unexpected exit), with the cause. */
  readonly onDeath: (handle: ThreadHandle, cause: Error) => void;
}

/** A request to a thread that died or did not answer in time. */
export class StreamThreadUnavailableError extends Error {
  override readonly name = 'StreamThreadUnavailableError';
}

// Workers load their entry without the parent's --import hooks (Node 20), so when the library
// runs from its TypeScript sources the worker registers tsx first; built, it imports plain .js.
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => setImmediate(() => { throw err; }));`;

const fromSources = import.meta.url.endsWith('.ts');
const ENTRY = new URL(fromSources ? './stream-thread.ts' : './stream-thread.js', import.meta.url).href;

export class ThreadHandle {
  readonly index: number;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  readonly #options: ThreadHandleOptions;
  #nextId = 1;
  #report: ThreadReport | undefined;
  #published: PublishedSnapshot | undefined;
  #dead: Error | undefined;
  #closing = false;
  #loaded = false;
  #hasExited = false;
  #closed: Promise<void> | undefined;
  readonly exited: Promise<number>;

  constructor(options: ThreadHandleOptions) {
    this.#options = options;
    this.index = options.start.threadIndex;
    const tsx = fromSources ? import.meta.resolve('tsx/esm/api') : undefined;
    this.#worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...options.start, entry: ENTRY, tsx }, name: `stream-thread-${this.index}` });
    this.#worker.on('message', (m: ThreadMessage) => this.#onMessage(m));
    this.#worker.on('error', (err) => this.#die(new StreamThreadFailedError(this.index, `an uncaught error: ${err.message}`, err)));
    this.exited = new Promise((resolve) => this.#worker.once('exit', (code) => {
      this.#hasExited = true;
      if (!this.#closing) this.#die(new StreamThreadFailedError(this.index, `the thread exited unexpectedly (code ${code})`));
      for (const p of this.#pending.values()) p.reject(new StreamThreadUnavailableError(`stream thread ${this.index} has exited`));
      this.#pending.clear();
      resolve(code);
    }));
  }

  get report(): ThreadReport | undefined { return this.#report; }
  /** The thread's last published stores, if it publishes any and has committed. */
  get published(): PublishedSnapshot | undefined { return this.#published; }
  get loaded(): boolean { return this.#loaded; }

  /** Lets the thread start its KafkaStreams. */
  release(): void {
    this.#worker.postMessage({ type: 'go' });
  }
  get dead(): Error | undefined { return this.#dead; }

  request<T>(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<T> {
    if (this.#hasExited) return Promise.reject(new StreamThreadUnavailableError(`stream thread ${this.index} has exited`));
    if (this.#dead) return Promise.reject(new StreamThreadUnavailableError(`stream thread ${this.index} has failed: ${this.#dead.message}`, { cause: this.#dead }));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new StreamThreadUnavailableError(`stream thread ${this.index} did not answer within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** Closes the thread's KafkaStreams (commit, leave the group), then ends the worker. */
  close(): Promise<void> {
    this.#closing = true;
    this.#closed ??= (async () => {
      if (!this.#dead && !this.#hasExited) await this.request({ type: 'close' }).catch(() => {});
      await this.#worker.terminate();
    })();
    return this.#closed;
  }

  /** Ends the worker at once, as a crash would (its group membership lapses after the session timeout). */
  async terminate(): Promise<void> {
    this.#closing = true;
    await this.#worker.terminate();
  }

  #onMessage(message: ThreadMessage): void {
    switch (message.type) {
      case 'report':
        this.#report = message.report;
        if (message.report.state === 'ERROR') this.#die(new StreamThreadFailedError(this.index, 'its KafkaStreams reached ERROR', message.error && fromWire(message.error)));
        this.#options.onReport(this);
        return;
      case 'published':
        this.#published = message.snapshot;
        return;
      case 'loaded':
        this.#loaded = true;
        this.#options.onLoaded(this);
        return;
      case 'start-failed':
        this.#die(new StreamThreadFailedError(this.index, 'its topology could not be built', fromWire(message.error)));
        return;
      case 'reply': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(fromWire(message.error as WireError));
      }
    }
  }

  #die(cause: Error): void {
    if (this.#dead || this.#closing) return;
    this.#dead = cause;
    this.#options.onDeath(this, cause);
  }
}

/** A stream thread died; `cause` is what killed it (the processing error, the uncaught throw). */
export class StreamThreadFailedError extends Error {
  override readonly name = 'StreamThreadFailedError';
  constructor(readonly threadIndex: number, why: string, cause?: Error) {
    super(`stream thread ${threadIndex} failed: ${why}${cause ? `: ${cause.message}` : ''}`, cause ? { cause } : undefined);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
