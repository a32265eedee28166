// The serving topology the three servers share; they differ only in the stores
// they hand in. Models travel through a global store, so every instance has every dataType's
// model while data partitions are split between instances; statistics live in a store per task.
import { Serdes, Stores, Topology, type KafkaStreams, type KeyValueBytesStoreSupplier, type KeyValueStore, type StateStore } from '../../lib/index.ts';
import { messageCodecs } from '../codecs/messages.ts';
import { DEFAULT_TOPICS, type BadInputReason, type ModelServingStats, type ServingTopicNames, type ServingTopology, type TopologyKind } from '../api.ts';
import { ModelCache, type ModelLoader } from './model-cache.ts';
import { decodeModelSlot } from './model-slot.ts';
import { modelUpdateProcessor, type ServingLog } from './model-processor.ts';
import { scoringProcessor } from './scoring-processor.ts';
import { BAD_INPUT_KEY, mergeStats, modelsView, type TaskStats } from './stats.ts';
import { NO_BAD_INPUT, addBadInput, dataTypeProblem } from './bad-input.ts';
import { defaultModelLoader } from './loader.ts';

export interface ServingTopologyOptions {
  readonly topics?: Partial<ServingTopicNames>;
  /** Where the topology reports models installed or refused and records skipped (default: console.log). */
  readonly log?: ServingLog;
  /** Loads a model from its descriptor (default: PMML, TensorFlow and ONNX by `data` or `location`). */
  readonly loadModel?: ModelLoader;
  /**
   * A shadow model whose batch takes longer than `budgetMs` (default 100) is paused for `pauseMs`
   * (default 10000). Shadows score on their own thread, which loads them with `loaderModule`
   * (a module URL exporting `loadModel`; default: PMML, TensorFlow and ONNX as `loadModel`'s default).
   */
  readonly shadow?: { readonly budgetMs?: number; readonly pauseMs?: number; readonly loaderModule?: string | URL };
  /** Previous champions kept per dataType for rollback and `GET /models` (default 5). */
  readonly historySize?: number;
}

/** Where a topology keeps its state: what tells naive, kv and custom apart. */
export interface ServingStateSpec {
  /** Byte store for the models global store (no changelog: the models topic is its log). */
  readonly models: (name: string) => KeyValueBytesStoreSupplier;
  /** Byte store for the statistics of each task. */
  readonly stats: (name: string) => KeyValueBytesStoreSupplier;
  /** Whether the statistics have a changelog (restored when a task moves or restarts). */
  readonly statsChangelog: boolean;
  /** Where an instance with no local model state starts reading the models topic. */
  readonly modelsFrom: 'earliest' | 'latest';
}

export interface ServingStoreNames {
  readonly models: string;
  readonly stats: string;
}

/** What `localStats` needs of an instance: `KafkaStreams`, or a test's view over a driver's stores. */
export type LocalStores = Pick<KafkaStreams, 'localStores'>;

export interface LocalServingTopology extends ServingTopology {
  readonly stores: ServingStoreNames;
  /** Compiled models, shared by every instance run from this topology object in this process. */
  readonly models: ModelCache;
  localStats(streams: LocalStores, dataType: string): ModelServingStats | undefined;
  localDataTypes(streams: LocalStores): string[];
  localBadInput(streams: LocalStores): Readonly<Record<BadInputReason, number>>;
  /** What `localStats` merges: the model slot and each local task's counts (stream threads merge them across threads). */
  localStatsParts(streams: LocalStores, dataType: string): StatsParts;
}

export interface StatsParts {
  readonly slot?: Uint8Array;
  readonly tasks: readonly TaskStats[];
}

const S = Serdes.String();

export function buildServing(kind: TopologyKind, spec: ServingStateSpec, options: ServingTopologyOptions = {}): LocalServingTopology {
  const topics: ServingTopicNames & { readonly shadow: string } = { ...DEFAULT_TOPICS, shadow: DEFAULT_TOPICS.shadow!, ...options.topics };
  const stores: ServingStoreNames = { models: `${kind}-models`, stats: `${kind}-stats` };
  const log = options.log ?? ((message: string) => console.log(`[modelstream ${kind}] ${message}`));
  const models = new ModelCache({ load: options.loadModel ?? defaultModelLoader });
  // Models are refused on every instance (a global store): a count per process, not per task.
  let refusedModels = 0;

  const statsBuilder = Stores.keyValueStoreBuilder(spec.stats(stores.stats), S, Serdes.Json<TaskStats>());
  if (!spec.statsChangelog) statsBuilder.withLoggingDisabled();
  const topology = new Topology()
    .addGlobalStore(Stores.keyValueStoreBuilder(spec.models(stores.models), S, Serdes.Bytes()).withLoggingDisabled(), {
      topic: topics.models, keySerde: S, valueSerde: Serdes.Bytes(),
      processor: modelUpdateProcessor({
        storeName: stores.models, cache: models, log, refused: () => ++refusedModels,
        ...(options.historySize !== undefined && { historySize: options.historySize }),
      }),
      resetFrom: spec.modelsFrom,
    })
    .addSource('data', { topics: [topics.data], keySerde: Serdes.Bytes(), valueSerde: Serdes.Protobuf(messageCodecs.WineRecord) })
    .addProcessor('score', scoringProcessor({
      modelsStore: stores.models, statsStore: stores.stats, cache: models, log, resultsSink: 'results', shadowSink: 'shadow-results',
      ...(options.shadow?.budgetMs !== undefined && { shadowBudgetMs: options.shadow.budgetMs }),
      ...(options.shadow?.pauseMs !== undefined && { shadowPauseMs: options.shadow.pauseMs }),
      ...(options.shadow?.loaderModule !== undefined && { shadowLoader: String(options.shadow.loaderModule) }),
    }), 'data')
    .addStateStore(statsBuilder, 'score')
    .addSink('results', { topic: topics.results, keySerde: S, valueSerde: Serdes.Protobuf(messageCodecs.ServingResult) }, 'score')
    .addSink('shadow-results', { topic: topics.shadow, keySerde: S, valueSerde: Serdes.Protobuf(messageCodecs.ServingResult) }, 'score');

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
      let counts = addBadInput(NO_BAD_INPUT, { 'invalid-model-data-type': refusedModels });
      for (const store of open<TaskStats>(streams, stores.stats)) {
        const entry = store.get(BAD_INPUT_KEY)?.badInput;
        if (entry) counts = addBadInput(counts, entry);
      }
      return counts;
    },
  };
}
