// The serving topology on stream threads: the module each thread builds its copy from (its own
// model cache, so each thread compiles a model once, when it arrives on the models topic), and
// the instance's view of the serving statistics, gathered from every thread and merged.
import type { KafkaStreams, ThreadTopology, ThreadedStreams } from '../../lib/index.ts';
import type { BadInputReason, ModelServingStats, ServingTopicNames, TopologyKind } from '../api.ts';
import { buildCustomTopology } from '../custom.ts';
import { buildKvTopology } from '../kv.ts';
import { buildNaiveTopology } from '../naive.ts';
import { addBadInput, dataTypeProblem, NO_BAD_INPUT, type BadInputCounts } from './bad-input.ts';
import { decodeModelSlot } from './model-slot.ts';
import { mergeStats } from './stats.ts';
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
  stats(dataType: string): Promise<ModelServingStats | undefined>;
  dataTypes(): Promise<string[]>;
  badInput(): Promise<Readonly<Record<BadInputReason, number>>>;
}

/** The instance's statistics over its threads: task counts of all threads, the model slot of any one. */
export function threadedServingReader(streams: ThreadedStreams): ServingReader {
  return {
    async stats(dataType) {
      if (dataTypeProblem(dataType)) return undefined;
      const parts = await streams.queryThreads<StatsParts>('statsParts', dataType);
      const slot = parts.find((p) => p.slot !== undefined)?.slot;
      return mergeStats(dataType, slot === undefined ? undefined : decodeModelSlot(slot), parts.flatMap((p) => p.tasks));
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
