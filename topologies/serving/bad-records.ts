// Data records that are not ones to serve (a tombstone, a dataType refused at the door): why, and
// their count in the task's statistics under BAD_INPUT_KEY, logged the first time and now and then.
import type { KeyValueStore, ProcessorContext, ProcessorSupplier, Record } from '../../lib/index.ts';
import type { BadInputReason } from '../api.ts';
import type { WineRecord } from '../codecs/messages.ts';
import type { ServingLog } from './model-processor.ts';
import { BAD_INPUT_KEY, emptyTaskStats, type TaskStats } from './stats.ts';
import { NO_BAD_INPUT, addBadInput, dataTypeProblem, logsBadInput, preview } from './bad-input.ts';

export interface BadRecord {
  readonly reason: BadInputReason;
  readonly why: string;
}

/** Why `wine` is not a record to serve, or undefined when it is one. */
export function badRecord(wine: WineRecord | null): BadRecord | undefined {
  if (wine === null) return { reason: 'null-value', why: 'a null value (tombstone) has nothing to score' };
  // Before the dataType is a store key, a result key or a label anywhere.
  const problem = dataTypeProblem(wine.dataType);
  if (problem) return { reason: 'invalid-data-type', why: `its dataType ${preview(wine.dataType)} ${problem}` };
  return undefined;
}

/** The task's bad-input entry with `bad` counted; logs it the first time and one in BAD_INPUT_LOG_EVERY. */
export function countBadRecord(entry: TaskStats, bad: BadRecord, ctx: ProcessorContext<unknown, unknown>, log: ServingLog): TaskStats {
  const counts = addBadInput(entry.badInput ?? NO_BAD_INPUT, { [bad.reason]: 1 });
  if (logsBadInput(counts[bad.reason])) {
    const meta = ctx.recordMetadata();
    const where = meta ? ` (${meta.topic}-${meta.partition} offset ${meta.offset})` : '';
    log(`skipping a record${where}: ${bad.why} [${bad.reason}: ${counts[bad.reason]} so far in task ${ctx.taskId}]`);
  }
  return { ...entry, badInput: counts };
}

/** The DSL's bad-input branch: counts each record it is given (every one is bad) in the statistics store. */
export function badRecordsProcessor(options: { readonly statsStore: string; readonly log: ServingLog }): ProcessorSupplier<unknown, WineRecord | null, never, never> {
  return () => {
    let ctx: ProcessorContext<never, never>;
    let stats: KeyValueStore<string, TaskStats>;
    return {
      init: (c) => { ctx = c; stats = c.getStateStore(options.statsStore); },
      process: (record: Record<unknown, WineRecord | null>) => {
        const bad = badRecord(record.value);
        if (!bad) return;
        stats.put(BAD_INPUT_KEY, countBadRecord(stats.get(BAD_INPUT_KEY) ?? emptyTaskStats(BAD_INPUT_KEY), bad, ctx as ProcessorContext<unknown, unknown>, options.log));
      },
    };
  };
}
