import type { RecordMetadata } from './processor.ts';

/** Where a bad record was met, for logs and metrics. */
export interface ErrorSite extends RecordMetadata {
  readonly taskId: string;
  /** The processor that threw; absent for deserialization errors. */
  readonly node?: string;
}

export type HandlerResponse = 'continue' | 'fail';

/**
 * Decides what happens to a record that could not be deserialized or processed. 'continue'
 * skips it (the offset still moves on); 'fail' stops the application with the error.
 */
export type ExceptionHandler = (error: Error, site: ErrorSite) => HandlerResponse;

/** The default for both kinds of errors: log, count (in task metrics) and skip. */
export const logAndContinue: ExceptionHandler = (error, site) => {
  const where = `${site.topic}-${site.partition}@${site.offset}` + (site.node ? ` in ${site.node}` : '');
  console.warn(`[modelstream] task ${site.taskId}: skipping record ${where}: ${error.message}`);
  return 'continue';
};

export const logAndFail: ExceptionHandler = (error, site) => {
  console.error(`[modelstream] task ${site.taskId}: failing on record ${site.topic}-${site.partition}@${site.offset}: ${error.message}`);
  return 'fail';
};

/**
 * Where an output record the broker refused came from. `topic`/`partition`/`offset` name the
 * input record that produced it; records emitted from `flush()`, a punctuator or a store's
 * changelog (logged at commit, one per changed key) have none: topic '(none)', offset -1.
 */
export interface ProductionErrorSite extends ErrorSite {
  readonly outputTopic: string;
  /** -1 when the record was to be partitioned by its key and never got that far. */
  readonly outputPartition: number;
  /** The broker's error name (MESSAGE_TOO_LARGE, INVALID_RECORD, ...), also the metrics label. */
  readonly reason: string;
  /** A store's changelog record: skipping it rebuilds the task's state from its changelog. */
  readonly changelog: boolean;
}

/**
 * Decides what happens to an output record the broker refuses for itself (too large, invalid):
 * 'continue' drops it (the commit goes on), 'fail' stops the application with the error.
 * Kafka Streams' ProductionExceptionHandler; never called for retriable errors.
 */
export type ProductionExceptionHandler = (error: Error, site: ProductionErrorSite) => HandlerResponse;

/** The default for production errors: log, count (`metrics().skippedProduction`) and drop. */
export const logAndSkipProduction: ProductionExceptionHandler = (error, site) => {
  const from = site.offset < 0 ? 'no input record' : `input ${site.topic}-${site.partition}@${site.offset}`;
  console.warn(`[modelstream] task ${site.taskId}: dropping a record for ${site.outputTopic} (${site.reason}, ${from}): ${error.message}`);
  return 'continue';
};
