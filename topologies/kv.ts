// The tutorial's key-value store server: state in LevelDB. Models persist on each instance
// (the models topic is read from the beginning on a new one); statistics have a changelog, so
// they survive a restart and follow their task to another instance.
import { Stores } from '../lib/index.ts';
import { buildServing, type LocalServingTopology, type ServingTopologyOptions } from './serving/topology.ts';

export function buildKvTopology(options?: ServingTopologyOptions): LocalServingTopology {
  return buildServing('kv', {
    models: (name) => Stores.persistentKeyValueStore(name),
    stats: (name) => Stores.persistentKeyValueStore(name),
    statsChangelog: true,
    modelsFrom: 'earliest',
  }, options);
}
