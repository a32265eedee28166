import type { Record } from './record.ts';
import type { StateStore } from '../../state/api/store.ts';

/** Where the record being processed came from; absent for punctuator-made records. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export type PunctuationType = 'wall-clock' | 'stream-time';

export type Punctuator = (timestamp: number) => void | Promise<void>;

export interface Cancellable {
  cancel(): void;
}

/** What a processor sees of its task, as in Kafka Streams' `api.ProcessorContext`. */
export interface ProcessorContext<KForward = unknown, VForward = unknown> {
  readonly applicationId: string;
  /** `<subtopology>_<partition>`, as Kafka Streams names tasks. */
  readonly taskId: string;
  /** Sends a record to every child, or to the child named `childName` only. */
  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void;
  getStateStore<S extends StateStore = StateStore>(name: string): S;
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Asks the runtime to commit as soon as the current batch is done. */
  commit(): void;
  recordMetadata(): RecordMetadata | undefined;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /**
   * Counts a record this processor drops on purpose (a null key, a late record past a window's
   * grace), in the task's `droppedRecords` metric (Kafka Streams' dropped-records sensor).
   */
  recordDropped?(reason: string): void;
}

/**
 * A node of the topology. `process` may return a Promise: the task awaits it before
 * the next record, so order per partition is kept.
 */
export interface Processor<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  process(record: Record<KIn, VIn>): void | Promise<void>;
  /**
   * Called before every commit (after each fetched batch, and before close), parents before
   * children. A processor that buffers records (e.g. to score a batch in one call) forwards
   * them here; nothing is committed until it returns. Not in Kafka Streams: added because
   * per-batch work is much cheaper than per-record work in Node.
   */
  flush?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Makes a fresh processor per task; never return a shared instance. */
export type ProcessorSupplier<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> =
  () => Processor<KIn, VIn, KOut, VOut>;
