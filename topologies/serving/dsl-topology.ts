// The serving topology in the DSL (the tutorial's kv and custom servers): the models topic as a
// global table, the data stream left-joined with it by dataType, scored, and sent to the results
// (and shadow results) topic. They differ only in the stores they hand in.
import { Serdes, Stores, StreamsBuilder, type KStream } from '../../lib/index.ts';
import { messageCodecs, type WineRecord } from '../codecs/messages.ts';
import type { TopologyKind } from '../api.ts';
import { modelUpdateProcessor } from './model-processor.ts';
import { joinedScoringProcessor, type ModelJoined } from './scoring-processor.ts';
import { badRecord, badRecordsProcessor } from './bad-records.ts';
import { localServing, servingSetup, statsStoreBuilder } from './serving-view.ts';
import type { LocalServingTopology, ServingStateSpec, ServingTopologyOptions } from './topology.ts';

/** The stores kv and custom hand in; the statistics always have a changelog here. */
export type DslServingStores = ServingStateSpec;

const S = Serdes.String();

export function buildDslServing(kind: TopologyKind, spec: DslServingStores, options: ServingTopologyOptions = {}): LocalServingTopology {
  const setup = servingSetup(kind, options);
  const { topics, stores, log, models: cache } = setup;
  const builder = new StreamsBuilder();
  // A slot per dataType folded from successive model messages (champion, history, roles), not
  // the last message: a table the models processor maintains (our DSL extension).
  const models = builder.globalTableMaintained<string, Uint8Array>(topics.models, {
    keySerde: S, valueSerde: Serdes.Bytes(),
    store: Stores.keyValueStoreBuilder(spec.models(stores.models), S, Serdes.Bytes()),
    maintain: {
      kind: 'processor',
      processor: modelUpdateProcessor({
        storeName: stores.models, cache, log, refused: setup.refused,
        ...(options.historySize !== undefined && { historySize: options.historySize }),
      }),
    },
  });
  builder.addStateStore(statsStoreBuilder(setup, { stats: spec.stats, changelog: true }));
  const results = { keySerde: S, valueSerde: Serdes.Protobuf(messageCodecs.ServingResult) };

  const data = builder.stream<Uint8Array, WineRecord | null>(topics.data, { keySerde: Serdes.Bytes(), valueSerde: Serdes.Protobuf(messageCodecs.WineRecord), name: 'data' });
  // The join drops null values, so tombstones and refused dataTypes are counted before it; the
  // default branch holds only records to serve.
  const wines = data.split({ name: 'input-' })
    .branch((_key, wine) => badRecord(wine) !== undefined, { name: 'bad', chain: (bad) => void bad.process(badRecordsProcessor({ statsStore: stores.stats, log }), { name: 'bad-input' }, stores.stats) })
    .defaultBranch({ name: 'wine' })
    .get('input-wine') as KStream<Uint8Array, WineRecord>;
  // Scored in `process`, not `mapValues`: records are batched per dataType until the task's
  // flush (tfjs ~55 µs a record alone, ~2 µs in a batch), and counted in the statistics store.
  const scored = wines
    .leftJoin(models, (_key, wine) => wine.dataType, (wine, slot): ModelJoined => ({ wine, slot }), { name: 'models-join' })
    .process(joinedScoringProcessor({
      statsStore: stores.stats, cache, log, resultsSink: 'results', shadowSink: 'shadow-results',
      ...(options.shadow?.budgetMs !== undefined && { shadowBudgetMs: options.shadow.budgetMs }),
      ...(options.shadow?.pauseMs !== undefined && { shadowPauseMs: options.shadow.pauseMs }),
      ...(options.shadow?.loaderModule !== undefined && { shadowLoader: String(options.shadow.loaderModule) }),
    }), { name: 'score' }, stores.stats);
  scored.to(topics.results, { ...results, name: 'results' });
  scored.to(topics.shadow, { ...results, name: 'shadow-results' });
  return localServing(setup, builder.build());
}
