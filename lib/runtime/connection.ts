// Whether this instance reaches its cluster right now. kafkajs retries quietly for a long time
// while a broker is away, and the group keeps the instance RUNNING (as Kafka Streams does), so
// the state alone cannot tell a health check the truth: a cheap probe of our own can.
import kafkajs from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';

/** Whether this instance reaches the cluster now; `since` is when that last changed (ms epoch). */
export type BrokerConnection =
  | { readonly status: 'connected'; readonly since: number }
  | { readonly status: 'disconnected'; readonly since: number; readonly reason: string };

export interface ConnectionProbeOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Declared 'disconnected' once no probe has succeeded for longer than this. */
  readonly unreachableAfterMs: number;
  /** Time between probes (default 1000 ms, less when the threshold is shorter). */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * Asks the cluster for its metadata every `intervalMs` on a client of its own (no retries, a
 * short request timeout), so a probe never waits behind the application's own retries.
 */
export class ConnectionProbe {
  readonly #options: ConnectionProbeOptions;
  readonly #kafka: Kafka;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #state: BrokerConnection;
  #admin: Admin | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = false;
  /** When a probe last succeeded (or when probing began, before the first one). */
  #lastAnswer = 0;
  #lastError = 'no answer from the cluster yet';

  constructor(options: ConnectionProbeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? Math.max(100, Math.min(1000, Math.floor(options.unreachableAfterMs / 3)));
    this.#kafka = new kafkajs.Kafka({
      clientId: `${options.clientId}-probe`,
      brokers: [...options.brokers],
      logLevel: kafkajs.logLevel.NOTHING,
      connectionTimeout: Math.min(1000, options.unreachableAfterMs),
      requestTimeout: Math.max(500, Math.min(2000, options.unreachableAfterMs)),
      retry: { retries: 0 },
    });
    this.#state = { status: 'disconnected', since: this.#now(), reason: 'not started' };
  }

  get current(): BrokerConnection { return this.#state; }

  start(): void {
    if (this.#timer) return;
    this.#lastAnswer = this.#now();
    this.#state = { status: 'disconnected', since: this.#now(), reason: 'connecting to the cluster' };
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    this.#timer.unref();
    this.#tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#set({ status: 'disconnected', since: this.#now(), reason: 'the instance is closed' });
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.disconnect().catch(() => {});
  }

  #tick(): void {
    if (!this.#timer) return;
    if (!this.#inFlight) void this.#probe();
    if (this.#state.status === 'connected' && this.#now() - this.#lastAnswer > this.#options.unreachableAfterMs) {
      this.#set({ status: 'disconnected', since: this.#now(), reason: this.#lastError });
    }
  }

  async #probe(): Promise<void> {
    this.#inFlight = true;
    try {
      if (!this.#admin) {
        this.#admin = this.#kafka.admin({ retry: { retries: 0 } });
        await this.#admin.connect(); // a metadata request: an answer in itself
      } else {
        await this.#admin.describeCluster();
      }
      if (!this.#timer) return;
      this.#lastAnswer = this.#now();
      if (this.#state.status !== 'connected') this.#set({ status: 'connected', since: this.#now() });
    } catch (err) {
      // A fresh client next time: kafkajs may keep a dead socket or stale broker list otherwise.
      const admin = this.#admin;
      this.#admin = undefined;
      void admin?.disconnect().catch(() => {});
      if (!this.#timer) return;
      this.#lastError = reasonOf(err);
      // Already disconnected: the latest failure is the best reason (the moment it began stays).
      if (this.#state.status === 'disconnected') this.#set({ status: 'disconnected', since: this.#state.since, reason: this.#lastError });
    } finally {
      this.#inFlight = false;
    }
  }

  #set(next: BrokerConnection): void {
    this.#state = next;
  }
}

/** The innermost message of a kafkajs error, without its "Connection error: " prefix. */
export function reasonOf(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause instanceof Error; depth++) e = e.cause;
  const error = e instanceof Error ? e : new Error(String(e));
  const message = error.message.replace(/^Connection error: /, '');
  const broker = (error as { broker?: unknown }).broker;
  return message === 'Connection timeout' && typeof broker === 'string' ? `connection timeout to ${broker}` : message;
}
