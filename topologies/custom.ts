// The tutorial's custom store server: state in our own file store (topologies/store), plugged
// in through the public store contract like any user's store, with a changelog for statistics.
import { fileStore } from './store/file-store.ts';
import { buildServing, type LocalServingTopology, type ServingTopologyOptions } from './serving/topology.ts';

export function buildCustomTopology(options?: ServingTopologyOptions): LocalServingTopology {
  return buildServing('custom', {
    models: (name) => fileStore(name),
    stats: (name) => fileStore(name),
    statsChangelog: true,
    modelsFrom: 'earliest',
  }, options);
}
