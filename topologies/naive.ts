// The tutorial's naive server: everything in process memory. Nothing is restored: after a
// restart it reads only models sent from then on, and skips records until one arrives.
import { Stores } from '../lib/index.ts';
import { buildServing, type LocalServingTopology, type ServingTopologyOptions } from './serving/topology.ts';

export function buildNaiveTopology(options?: ServingTopologyOptions): LocalServingTopology {
  return buildServing('naive', {
    models: (name) => Stores.inMemoryKeyValueStore(name),
    stats: (name) => Stores.inMemoryKeyValueStore(name),
  }, options);
}
