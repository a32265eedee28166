// The serving topology in the Processor API (the tutorial's naive server; kv and custom are
// written in the DSL, in dsl-topology.ts). Models travel through a global store, so every
// instance has every dataType's model while data partitions are split between instances;
// statistics live in a store per task.
import { Serdes, Stores, Topology, type KafkaStreams, type KeyValueBytesStoreSupplier } from '../../lib/index.ts';
import { messageCodecs } from '../codecs/messages.ts';
import type { BadInputReason, ModelServingStats, ServingTopicNames, ServingTopology, TopologyKind } from '../api.ts';
import type { ModelCache, ModelLoader } from './model-cache.ts';
import { modelUpdateProcessor, type ServingLog } from './model-processor.ts';
import { scoringProcessor } from './scoring-processor.ts';
import type { TaskStats } from './stats.ts';
import { localServing, servingSetup, statsStoreBuilder } from './serving-view.ts';

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

/** The byte stores a serving topology keeps its state in (naive: in memory; kv and custom: LevelDB). */
export interface ServingStateSpec {
  /** Byte store for the models global store (no changelog: the models topic is its log). */
  readonly models: (name: string) => KeyValueBytesStoreSupplier;
  /** Byte store for the statistics of each task. */
  readonly stats: (name: string) => KeyValueBytesStoreSupplier;
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
  const setup = servingSetup(kind, options);
  const { topics, stores, log, models } = setup;
  const topology = new Topology()
    .addGlobalStore(Stores.keyValueStoreBuilder(spec.models(stores.models), S, Serdes.Bytes()).withLoggingDisabled(), {
      topic: topics.models, keySerde: S, valueSerde: Serdes.Bytes(),
      processor: modelUpdateProcessor({
        storeName: stores.models, cache: models, log, refused: setup.refused,
        ...(options.historySize !== undefined && { historySize: options.historySize }),
      }),
      // Nothing is restored here (the naive server): an instance reads the models sent from now on.
      resetFrom: 'latest',
    })
    .addSource('data', { topics: [topics.data], keySerde: Serdes.Bytes(), valueSerde: Serdes.Protobuf(messageCodecs.WineRecord) })
    .addProcessor('score', scoringProcessor({
      modelsStore: stores.models, statsStore: stores.stats, cache: models, log, resultsSink: 'results', shadowSink: 'shadow-results',
      ...(options.shadow?.budgetMs !== undefined && { shadowBudgetMs: options.shadow.budgetMs }),
      ...(options.shadow?.pauseMs !== undefined && { shadowPauseMs: options.shadow.pauseMs }),
      ...(options.shadow?.loaderModule !== undefined && { shadowLoader: String(options.shadow.loaderModule) }),
    }), 'data')
    .addStateStore(statsStoreBuilder(setup, { stats: spec.stats, changelog: false }), 'score')
    .addSink('results', { topic: topics.results, keySerde: S, valueSerde: Serdes.Protobuf(messageCodecs.ServingResult) }, 'score')
    .addSink('shadow-results', { topic: topics.shadow, keySerde: S, valueSerde: Serdes.Protobuf(messageCodecs.ServingResult) }, 'score');
  return localServing(setup, topology);
}
