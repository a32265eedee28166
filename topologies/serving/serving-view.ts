// What the Processor API (naive) and DSL (kv, custom) serving topologies share: their topics,
// store names, log and model cache, and the instance's view of their stores (statistics, models,
// bad input) that the CLI, the HTTP endpoints and the stream threads query.
import { Serdes, Stores, type KeyValueStore, type StateStore, type Topology } from '../../lib/index.ts';
import { DEFAULT_TOPICS, type ServingTopicNames, type TopologyKind } from '../api.ts';
import { ModelCache } from './model-cache.ts';
import { decodeModelSlot } from './model-slot.ts';
import type { ServingLog } from './model-processor.ts';
import { BAD_INPUT_KEY, mergeStats, modelsView, type TaskStats } from './stats.ts';
import { NO_BAD_INPUT, addBadInput, dataTypeProblem } from './bad-input.ts';
import { defaultModelLoader } from './loader.ts';
import type { LocalServingTopology, LocalStores, ServingStateSpec, ServingStoreNames, ServingTopologyOptions } from './topology.ts';

/** One topology object's settings, and the counts it keeps per process. */
export interface ServingSetup {
  readonly kind: TopologyKind;
  readonly topics: ServingTopicNames & { readonly shadow: string };
  readonly stores: ServingStoreNames;
  readonly log: ServingLog;
  readonly models: ModelCache;
  /** Models are refused on every instance (a global store): a count per process, not per task. */
  readonly refused: () => number;
  refusedSoFar(): number;
}

/** The store names of a serving topology of `kind`. */
export function servingStoreNames(kind: TopologyKind): ServingStoreNames {
  return { models: `${kind}-models`, stats: `${kind}-stats` };
}

export function servingSetup(kind: TopologyKind, options: ServingTopologyOptions): ServingSetup {
  let refusedModels = 0;
  return {
    kind,
    topics: { ...DEFAULT_TOPICS, shadow: DEFAULT_TOPICS.shadow!, ...options.topics },
    stores: servingStoreNames(kind),
    log: options.log ?? ((message: string) => console.log(`[modelstream ${kind}] ${message}`)),
    models: new ModelCache({ load: options.loadModel ?? defaultModelLoader }),
    refused: () => ++refusedModels,
    refusedSoFar: () => refusedModels,
  };
}

/** The statistics store of each task; with a changelog, it is restored when a task moves or restarts. */
export function statsStoreBuilder(setup: ServingSetup, options: Pick<ServingStateSpec, 'stats'> & { readonly changelog: boolean }) {
  const builder = Stores.keyValueStoreBuilder(options.stats(setup.stores.stats), Serdes.String(), Serdes.Json<TaskStats>());
  if (!options.changelog) builder.withLoggingDisabled();
  return builder;
}

/** The topology with the instance's view of its stores. */
export function localServing(setup: ServingSetup, topology: Topology): LocalServingTopology {
  const { kind, topics, stores, models } = setup;
  const open = <V>(streams: LocalStores, name: string) =>
    streams.localStores<KeyValueStore<string, V> & StateStore>(name).filter((s) => s.isOpen);

  return {
    kind, topology, topics, stores, models,
    storeNames: [stores.models, stores.stats],
    localStatsParts(streams, dataType) {
      const slot = open<Uint8Array>(streams, stores.models)[0]?.get(dataType);
      const tasks = open<TaskStats>(streams, stores.stats).flatMap((s) => s.get(dataType) ?? []);
      return { ...(slot === undefined ? {} : { slot }), tasks };
    },
    localStats(streams, dataType) {
      if (dataTypeProblem(dataType)) return undefined; // never a key (and not the bad-input entry)
      const { slot, tasks } = this.localStatsParts(streams, dataType);
      return mergeStats(dataType, slot === undefined ? undefined : decodeModelSlot(slot), tasks);
    },
    localDataTypes(streams) {
      const types = new Set<string>();
      for (const name of [stores.models, stores.stats]) {
        for (const store of open<unknown>(streams, name)) for (const { key } of store.all()) if (!dataTypeProblem(key)) types.add(key);
      }
      return [...types].sort();
    },
    localModels(streams, only) {
      const slots = open<Uint8Array>(streams, stores.models)[0];
      const types = only === undefined ? this.localDataTypes(streams) : dataTypeProblem(only) ? [] : [only];
      return types.flatMap((dataType) => {
        const bytes = slots?.get(dataType);
        const tasks = open<TaskStats>(streams, stores.stats).flatMap((s) => s.get(dataType) ?? []);
        return modelsView(dataType, bytes === undefined ? undefined : decodeModelSlot(bytes), tasks) ?? [];
      });
    },
    localBadInput(streams) {
      let counts = addBadInput(NO_BAD_INPUT, { 'invalid-model-data-type': setup.refusedSoFar() });
      for (const store of open<TaskStats>(streams, stores.stats)) {
        const entry = store.get(BAD_INPUT_KEY)?.badInput;
        if (entry) counts = addBadInput(counts, entry);
      }
      return counts;
    },
  };
}
