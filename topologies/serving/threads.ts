// The serving topology on stream threads: the module each thread builds its copy from (its own
// model cache, so each thread compiles a model once, when it arrives on the models topic), and
// the instance's view of the serving statistics, gathered from every thread and merged.
import type { KafkaStreams, ThreadTopology, ThreadedStreams } from '../../lib/index.ts';
import type { BadInputReason, ModelServingStats, ModelsView, ServingTopicNames, TopologyKind } from '../api.ts';
import { buildCustomTopology } from '../custom.ts';
import { buildKvTopology } from '../kv.ts';
import { buildNaiveTopology } from '../naive.ts';
import { addBadInput, dataTypeProblem, NO_BAD_INPUT, type BadInputCounts } from './bad-input.ts';
import { decodeModelSlot } from './model-slot.ts';
import { mergeStats, modelsView } from './stats.ts';
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
  };
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
  const parts = async (dataType: string) => {
    const each = await streams.queryThreads<StatsParts>('statsParts', dataType);
    const slot = each.find((p) => p.slot !== undefined)?.slot;
    return { slot: slot === undefined ? undefined : decodeModelSlot(slot), tasks: each.flatMap((p) => p.tasks) };
  };
  return {
    kind,
    async stats(dataType) {
      if (dataTypeProblem(dataType)) return undefined;
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
