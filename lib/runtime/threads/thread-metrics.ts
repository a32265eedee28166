// The instance's metrics as the sum of its threads': counts of threads that were replaced or
// removed stay in the totals, so a counter never goes back.
import type { StreamsMetrics, StreamsState } from '../kafka-streams.ts';

export type ThreadMetrics = StreamsMetrics & { readonly thread: string };

const COUNTERS = ['processed', 'alreadyApplied', 'skippedDeserialization', 'skippedProcessing', 'punctuations', 'restoredRecords', 'restoreMs', 'skippedProduction', 'droppedRecords'] as const;

export function combineMetrics(state: StreamsState, current: readonly ThreadMetrics[], retired: readonly ThreadMetrics[]): StreamsMetrics & { readonly threads: readonly ThreadMetrics[] } {
  const totals = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as { [K in (typeof COUNTERS)[number]]: number };
  const byReason: { [reason: string]: number } = {};
  const droppedByReason: { [reason: string]: number } = {};
  for (const m of [...current, ...retired]) {
    for (const k of COUNTERS) totals[k] += m[k];
    for (const [reason, n] of Object.entries(m.skippedProductionByReason)) byReason[reason] = (byReason[reason] ?? 0) + n;
    for (const [reason, n] of Object.entries(m.droppedRecordsByReason)) droppedByReason[reason] = (droppedByReason[reason] ?? 0) + n;
  }
  return {
    ...totals, state,
    tasks: current.flatMap((m) => m.tasks).sort(),
    brokerConnected: current.length > 0 && current.every((m) => m.brokerConnected),
    skippedProductionByReason: byReason,
    droppedRecordsByReason: droppedByReason,
    threads: current,
  };
}
