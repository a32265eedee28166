// The three serving topologies by kind (naive, kv, custom: the tutorial's three servers), for the CLI and the query layer.
import type { TopologyKind } from './api.ts';
import { buildCustomTopology } from './custom.ts';
import { buildKvTopology } from './kv.ts';
import { buildNaiveTopology } from './naive.ts';
import type { LocalServingTopology, ServingTopologyOptions } from './serving/topology.ts';

export * from './api.ts';
export { buildNaiveTopology, buildKvTopology, buildCustomTopology };
export type { LocalServingTopology, ServingTopologyOptions, ServingStoreNames, LocalStores } from './serving/topology.ts';
export type { ModelLoader } from './serving/model-cache.ts';

const builders: { readonly [K in TopologyKind]: (options?: ServingTopologyOptions) => LocalServingTopology } = {
  naive: buildNaiveTopology,
  kv: buildKvTopology,
  custom: buildCustomTopology,
};

export function buildServingTopology(kind: TopologyKind, options?: ServingTopologyOptions): LocalServingTopology {
  return builders[kind](options);
}
