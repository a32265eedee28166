// The tutorial's custom store server, written in the DSL: state in our own file store
// (topologies/store), plugged in through the public store contract like any user's store, with
// a changelog for statistics.
import { fileStore } from './store/file-store.ts';
import { buildDslServing } from './serving/dsl-topology.ts';
import type { LocalServingTopology, ServingTopologyOptions } from './serving/topology.ts';

export function buildCustomTopology(options?: ServingTopologyOptions): LocalServingTopology {
  return buildDslServing('custom', {
    models: (name) => fileStore(name),
    stats: (name) => fileStore(name),
  }, options);
}
