// Shapes of the serving application's query endpoints: what they read and what they answer.
import type { HostInfo, KafkaStreams, ThreadedStreams } from '../../lib/index.ts';
import type { LatencyBuckets, ModelServingStats, ServingTopology } from '../api.ts';
import type { ServingReader } from '../serving/threads.ts';
import type { ModelCommand } from '../codecs/messages.ts';

/**
 * What the serving endpoints read: the running instance and the serving topology it runs, or an
 * instance on several stream threads and the reader that gathers its statistics from them.
 */
export type ServingTarget =
  | { readonly streams: KafkaStreams; readonly serving: ServingTopology }
  | { readonly streams: ThreadedStreams; readonly reader: ServingReader; readonly storeNames: readonly string[] };

/**
 * How long an instance's statistics are reused on its event loop: until its next commit, and at
 * most this long (a model that arrives on the global store commits nothing). Merging them costs
 * about half a millisecond, which 1,000 requests a second would pay on the loop that scores.
 */
export const STATS_REUSE_MS = 100;

interface StatsMemo { readonly at: number; readonly stats: Map<string, ModelServingStats | undefined> }
const statsMemos = new WeakMap<KafkaStreams, { current?: StatsMemo }>();

function reusedStats(streams: KafkaStreams, serving: ServingTopology, dataType: string): ModelServingStats | undefined {
  // A view that is not a running instance (a test driver's stores) says nothing of its commits: read afresh.
  if (typeof streams.onCommit !== 'function') return serving.localStats(streams, dataType);
  let holder = statsMemos.get(streams);
  if (!holder) {
    const created: { current?: StatsMemo } = {};
    holder = created;
    statsMemos.set(streams, created);
    streams.onCommit(() => { created.current = undefined; });
  }
  const now = Date.now();
  if (!holder.current || now - holder.current.at > STATS_REUSE_MS) holder.current = { at: now, stats: new Map() };
  const memo = holder.current.stats;
  if (!memo.has(dataType)) memo.set(dataType, serving.localStats(streams, dataType));
  return memo.get(dataType);
}

/** The statistics of any target, asynchronously (a threaded instance reads what its threads published). */
export function readerOf(target: ServingTarget): ServingReader & { readonly storeNames: readonly string[] } {
  if ('reader' in target) return { ...target.reader, storeNames: target.storeNames };
  const { streams, serving } = target;
  return {
    kind: serving.kind,
    storeNames: serving.storeNames,
    stats: async (dataType) => reusedStats(streams, serving, dataType),
    models: async (dataType) => serving.localModels?.(streams, dataType) ?? [],
    dataTypes: async () => serving.localDataTypes(streams),
    badInput: async () => serving.localBadInput?.(streams) ?? { 'invalid-data-type': 0, 'null-value': 0, 'invalid-model-data-type': 0 },
  };
}

/** `GET /state/instance`: one element per instance; partitions as Kafka prints them, `"topic-partition"`. */
export interface InstanceInfo {
  readonly host: string;
  readonly port: number;
  readonly storeNames: readonly string[];
  readonly partitions: readonly string[];
}

/** One instance's answer in `GET /state/values`; an instance that did not answer is reported, not fatal. */
export type InstanceStats =
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'ok'; readonly stats: ModelServingStats }
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'unreachable'; readonly error: string };

/** `GET /state/values`. */
export interface AllInstanceStats {
  readonly dataType: string;
  readonly instances: readonly InstanceStats[];
  /** The answering instances' counts of the champion added up, its latency histograms merged (absent when none answered). */
  readonly merged?: MergedStats;
}

export interface MergedStats {
  /** The champion the counts are of (instances on another one, mid-change, are left out). */
  readonly name: string;
  readonly invocations: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly latency?: LatencyBuckets;
}

export interface ServingRoutesOptions {
  /** The instance and its topology, once attached (the routes answer 503 before). */
  readonly target: () => ServingTarget | undefined;
  /** This instance as the others know it (its application.server). */
  readonly self: () => HostInfo;
  /** How long `/state/values` waits for each other instance (default 2000 ms). */
  readonly peerTimeoutMs?: number;
  /** dataType of `/state/value` without `?dataType=` (default 'wine'). */
  readonly defaultDataType?: string;
  /** Publishes a command on the models topic (every instance applies it); without it, `POST /models/{dataType}/rollback` answers 501. */
  readonly commands?: (command: ModelCommand) => Promise<void>;
}
