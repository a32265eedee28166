// A small ServingTopology of our own for the query-server tests: each record's value names its
// dataType; the "model" per dataType counts invocations in process memory, as naive serving does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaStreams, Serdes, Stores, Topology, type Record, type StreamsConfig } from '../../../lib/index.ts';
import type { ModelServingStats, ServingTopology } from '../../../topologies/api.ts';
import { DEFAULT_TOPICS } from '../../../topologies/api.ts';
import { addLatency } from '../../../topologies/serving/latency-histogram.ts';

const S = Serdes.String();
/** When each fake model started serving: the same on every instance, as a models-topic timestamp is. */
const FAKE_SINCE = Date.now();

export interface FakeServing extends ServingTopology {
  /** Makes localStats throw, as a store closed mid-rebalance would. */
  failNext: boolean;
}

export function fakeServing(dataTopic: string): FakeServing {
  const stats = new Map<string, { -readonly [K in keyof ModelServingStats]: ModelServingStats[K] }>();
  const topology = new Topology()
    .addSource('data', { topics: [dataTopic], keySerde: S, valueSerde: S })
    .addProcessor('score', () => ({
      process(record: Record<string | null, string>) {
        const dataType = record.value;
        const s = stats.get(dataType) ?? {
          name: `model-${dataType}`, description: 'counts records', dataType, modelType: 'PMML' as const,
          since: FAKE_SINCE, invocations: 0, duration: 0, min: 0, max: 0,
        };
        const ms = 0.25;
        s.invocations += 1;
        s.duration += ms;
        s.min = s.invocations === 1 ? ms : Math.min(s.min, ms);
        s.max = Math.max(s.max, ms);
        s.latency = addLatency(s.latency, 1, ms);
        stats.set(dataType, s);
      },
    }), 'data')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), S, S).withLoggingDisabled(), 'score');
  const serving: FakeServing = {
    kind: 'naive',
    topology,
    topics: { ...DEFAULT_TOPICS, data: dataTopic },
    storeNames: ['models'],
    failNext: false,
    localStats(_streams, dataType) {
      if (serving.failNext) {
        serving.failNext = false;
        throw new Error('stats are not readable right now');
      }
      const s = stats.get(dataType);
      return s ? { ...s } : undefined;
    },
    localDataTypes: () => [...stats.keys()],
  };
  return serving;
}

export function newStreams(topology: Topology, config: Omit<StreamsConfig, 'stateDir'>): KafkaStreams {
  return new KafkaStreams(topology, {
    stateDir: mkdtempSync(join(tmpdir(), 'modelstream-query-')), logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000, ...config,
  });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
