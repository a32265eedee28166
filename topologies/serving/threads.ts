// The serving topology on stream threads: the module each thread builds its copy from (its own
// model cache, so each thread compiles a model once, when it arrives on the models topic), and
// the instance's view of the serving statistics, merged from what every thread published after
// its last commit (the statistics and the models' slots without their bytes), so that
// /state/value never waits for a thread busy scoring a batch: it is at most one commit interval old.
import { sameSnapshots, type KafkaStreams, type PublishedView, type ThreadTopology, type ThreadedStreams } from '../../lib/index.ts';
import type { BadInputReason, ModelServingStats, ModelsView, ServingTopicNames, TopologyKind } from '../api.ts';
import { buildCustomTopology } from '../custom.ts';
import { buildKvTopology } from '../kv.ts';
import { buildNaiveTopology } from '../naive.ts';
import { addBadInput, dataTypeProblem, NO_BAD_INPUT, type BadInputCounts } from './bad-input.ts';
import { decodeModelSlot, encodeModelSlot, type ModelSlot } from './model-slot.ts';
import { mergeStats, modelsView, type TaskStats } from './stats.ts';
import { servingStoreNames } from './serving-view.ts';
import type { LocalServingTopology, StatsParts } from './topology.ts';

export interface ServingThreadArgs {
  readonly kind: TopologyKind;
  readonly topics: ServingTopicNames;
}

const builders = { naive: buildNaiveTopology, kv: buildKvTopology, custom: buildCustomTopology };

/** Every thread's factory: the serving topology of `kind`, and the queries the instance asks it. */
export function servingThread(args: ServingThreadArgs): ThreadTopology {
  const serving: LocalServingTopology = builders[args.kind]({ topics: args.topics, log: (m) => console.log(`[serve] ${args.kind}: ${m}`) });
  return {
    topology: serving.topology,
    queries: {
      statsParts: (streams: KafkaStreams, dataType) => serving.localStatsParts(streams, dataType as string),
      dataTypes: (streams: KafkaStreams) => serving.localDataTypes(streams),
      badInput: (streams: KafkaStreams) => serving.localBadInput(streams),
    },
    published: [serving.stores.stats, { store: serving.stores.models, value: (slot) => withoutModelBytes(slot as Uint8Array) }],
  };
}

/** A slot as the statistics read it: models' names and ids, not their descriptors (megabytes for a PMML forest). */
function withoutModelBytes(bytes: Uint8Array): Uint8Array {
  const slot = decodeModelSlot(bytes);
  const none = new Uint8Array(0);
  const slim: ModelSlot = {
    ...slot,
    ...(slot.current && { current: { ...slot.current, descriptor: none } }),
    ...(slot.split && { split: slot.split.map((m) => ({ ...m, descriptor: none })) }),
    ...(slot.shadows && { shadows: slot.shadows.map((m) => ({ ...m, descriptor: none })) }),
    ...(slot.history && { history: slot.history.map((h) => (h.descriptor ? { ...h, descriptor: none } : h)) }),
  };
  return encodeModelSlot(slim);
}

/** What the serving routes read, whichever way the instance runs. */
export interface ServingReader {
  /** The topology the instance runs. */
  readonly kind: TopologyKind;
  stats(dataType: string): Promise<ModelServingStats | undefined>;
  dataTypes(): Promise<string[]>;
  badInput(): Promise<Readonly<Record<BadInputReason, number>>>;
  /** `GET /models`: every dataType (or only `dataType`) with its current model, roles and history. */
  models(dataType?: string): Promise<ModelsView[]>;
}

/** The instance's statistics over its threads: task counts of all threads, the model slot of any one. */
export function threadedServingReader(streams: ThreadedStreams, kind: TopologyKind): ServingReader {
  const names = servingStoreNames(kind);
  // From the threads' published stores; undefined until every live thread has published.
  // What was computed from one view, kept until a thread publishes again (at most a few times a second).
  let memo: { view: PublishedView; stats: Map<string, ModelServingStats | undefined> } | undefined;
  const publishedStats = (dataType: string): { stats: ModelServingStats | undefined } | undefined => {
    const view = streams.published();
    if (view.oldest === undefined) return undefined;
    if (!memo || !sameSnapshots(memo.view, view)) memo = { view, stats: new Map() };
    if (!memo.stats.has(dataType)) {
      const { slot, tasks } = publishedParts(view, dataType);
      memo.stats.set(dataType, mergeStats(dataType, slot, tasks));
    }
    return { stats: memo.stats.get(dataType) };
  };
  const publishedParts = (view: PublishedView, dataType: string) => {
    const slot = view.localStores<string, Uint8Array>(names.models)[0]?.get(dataType);
    const tasks = view.localStores<string, TaskStats>(names.stats).flatMap((s) => s.get(dataType) ?? []);
    return { slot: slot === undefined ? undefined : decodeModelSlot(slot), tasks };
  };
  const parts = async (dataType: string) => {
    const each = await streams.queryThreads<StatsParts>('statsParts', dataType);
    const slot = each.find((p) => p.slot !== undefined)?.slot;
    return { slot: slot === undefined ? undefined : decodeModelSlot(slot), tasks: each.flatMap((p) => p.tasks) };
  };
  return {
    kind,
    async stats(dataType) {
      if (dataTypeProblem(dataType)) return undefined;
      const published = publishedStats(dataType);
      if (published) return published.stats;
      const { slot, tasks } = await parts(dataType);
      return mergeStats(dataType, slot, tasks);
    },
    async models(only) {
      const types = only === undefined ? await this.dataTypes() : dataTypeProblem(only) ? [] : [only];
      const views = await Promise.all(types.map(async (dataType) => {
        const { slot, tasks } = await parts(dataType);
        return modelsView(dataType, slot, tasks);
      }));
      return views.filter((v): v is ModelsView => v !== undefined);
    },
    async dataTypes() {
      return [...new Set((await streams.queryThreads<string[]>('dataTypes')).flat())].sort();
    },
    async badInput() {
      const each = await streams.queryThreads<BadInputCounts>('badInput');
      // A refused model is refused by every thread (a global store): counted once.
      let counts = NO_BAD_INPUT;
      for (const c of each) counts = addBadInput(counts, { ...c, 'invalid-model-data-type': 0 });
      return { ...counts, 'invalid-model-data-type': Math.max(0, ...each.map((c) => c['invalid-model-data-type'])) };
    },
  };
}
