import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cancellable, ProcessorContext, PunctuationType, Punctuator, RecordMetadata } from '../streams/api/processor.ts';
import type { Record } from '../streams/api/record.ts';
import type { RestoreCallback, StateStore, StateStoreContext } from '../state/api/store.ts';

export interface CapturedForward<K, V> {
  readonly record: Record<K, V>;
  readonly childName?: string;
}

export interface CapturedPunctuator {
  readonly intervalMs: number;
  readonly type: PunctuationType;
  readonly punctuator: Punctuator;
  readonly cancelled: boolean;
}

export interface LoggedChange {
  readonly storeName: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/**
 * A `ProcessorContext` for unit-testing one processor, as Kafka Streams' api.MockProcessorContext:
 * it captures forwards, schedules and commit requests instead of acting on them.
 */
export class MockProcessorContext<KForward = unknown, VForward = unknown> implements ProcessorContext<KForward, VForward> {
  readonly applicationId: string;
  readonly taskId: string;
  readonly stateDir: string;
  readonly #forwarded: CapturedForward<KForward, VForward>[] = [];
  readonly #punctuators: (CapturedPunctuator & { cancelled: boolean })[] = [];
  readonly #stores = new Map<string, StateStore>();
  readonly #logged: LoggedChange[] = [];
  readonly #restorers = new Map<string, RestoreCallback>();
  #metadata: RecordMetadata | undefined;
  #streamTime = -1;
  #systemTime = 0;
  #committed = false;

  constructor(options: { applicationId?: string; taskId?: string; stateDir?: string } = {}) {
    this.applicationId = options.applicationId ?? 'mock-app';
    this.taskId = options.taskId ?? '0_0';
    this.stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'modelstream-mock-'));
  }

  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void {
    this.#forwarded.push(childName === undefined ? { record } : { record, childName });
  }

  forwarded(): readonly CapturedForward<KForward, VForward>[] { return this.#forwarded; }
  resetForwards(): void { this.#forwarded.length = 0; }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    const captured = { intervalMs, type, punctuator, cancelled: false };
    this.#punctuators.push(captured);
    return { cancel: () => { captured.cancelled = true; } };
  }

  scheduledPunctuators(): readonly CapturedPunctuator[] { return this.#punctuators; }

  /** Initialises a store against this context and makes it available to `getStateStore`. */
  async addStateStore(store: StateStore): Promise<void> {
    await store.init(this.stateStoreContext());
    this.#stores.set(store.name, store);
  }

  getStateStore<S extends StateStore = StateStore>(name: string): S {
    const store = this.#stores.get(name);
    if (!store) throw new Error(`No state store "${name}": add it with addStateStore(store) first`);
    return store as S;
  }

  /** A store context that records changelog writes (see `loggedChanges`). */
  stateStoreContext(): StateStoreContext {
    return {
      applicationId: this.applicationId,
      taskId: this.taskId,
      stateDir: this.stateDir,
      register: (store, callback) => { this.#restorers.set(store.name, callback); },
      logChange: (storeName, key, value, timestamp) => { this.#logged.push({ storeName, key, value, timestamp }); },
    };
  }

  loggedChanges(): readonly LoggedChange[] { return this.#logged; }
  restoreCallback(storeName: string): RestoreCallback | undefined { return this.#restorers.get(storeName); }

  commit(): void { this.#committed = true; }
  committed(): boolean { return this.#committed; }
  resetCommit(): void { this.#committed = false; }

  setRecordMetadata(topic: string, partition: number, offset: number): void { this.#metadata = { topic, partition, offset }; }
  recordMetadata(): RecordMetadata | undefined { return this.#metadata; }
  setCurrentStreamTimeMs(ms: number): void { this.#streamTime = ms; }
  currentStreamTimeMs(): number { return this.#streamTime; }
  setCurrentSystemTimeMs(ms: number): void { this.#systemTime = ms; }
  currentSystemTimeMs(): number { return this.#systemTime; }
}
