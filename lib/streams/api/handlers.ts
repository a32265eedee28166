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
