// The tutorial's key-value store server, written in the DSL: state in LevelDB. Models persist on
// each instance (the models topic is read from the beginning on a new one); statistics have a
// changelog, so they survive a restart and follow their task to another instance.
import { Stores } from '../lib/index.ts';
import { buildDslServing } from './serving/dsl-topology.ts';
import type { LocalServingTopology, ServingTopologyOptions } from './serving/topology.ts';

export function buildKvTopology(options?: ServingTopologyOptions): LocalServingTopology {
  return buildDslServing('kv', {
    models: (name) => Stores.persistentKeyValueStore(name),
    stats: (name) => Stores.persistentKeyValueStore(name),
  }, options);
}
