// A TopologyTestDriver as a QueryableInstance: one instance, always RUNNING, that owns every key
// (the driver runs partition 0 of each sub-topology), so the query layer runs with no broker.
import type { Serde } from '../streams/api/serde.ts';
import type { Topology } from '../streams/topology.ts';
import type { ReadOnlyKeyValueStore, StateStore } from '../state/api/store.ts';
import { checkKind, type QueryableStoreType } from '../runtime/store-kind.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore } from '../state/api/window-store.ts';
import type { TopologyTestDriver } from '../testing/topology-test-driver.ts';
import { compileTopology } from '../streams/internal/compile.ts';
import type { HostInfo, KeyQueryMetadata, StreamsMetadata } from '../runtime/metadata.ts';
import type { EngineMetrics, QueryableInstance } from './instance.ts';
import { topologyDefinition } from '../streams/topology.ts';

export interface DriverInstanceOptions {
  /** The topology the driver runs: its stores and source topics make the metadata. */
  readonly topology: Topology;
  /** The address the instance claims (default localhost:0); pass it as the app's `self`. */
  readonly host?: HostInfo;
}

export interface DriverInstance extends QueryableInstance {
  readonly host: HostInfo;
}

function checked<S>(store: S, name: string, type: QueryableStoreType): S {
  checkKind(name, [store as unknown as StateStore], type);
  return store;
}

export function driverInstance(driver: TopologyTestDriver, options: DriverInstanceOptions): DriverInstance {
  const host = options.host ?? { host: 'localhost', port: 0 };
  const def = topologyDefinition(options.topology);
  const storeNames = [...new Set([...def.stores.keys(), ...def.globalStores.keys()])].sort();
  const topics = [...new Set([
    ...[...def.nodes.values()].flatMap((n) => (n.kind === 'source' ? n.options.topics : [])),
    ...[...def.globalStores.values()].map((g) => g.options.topic),
  ])].sort();
  const metadata: StreamsMetadata = {
    ...host, storeNames,
    topicPartitions: topics.map((topic) => ({ topic, partition: 0 })),
    tasks: compileTopology(def).subtopologies.map((s) => `${s.id}_0`),
  };
  return {
    host,
    state: 'RUNNING',
    allMetadata: () => [metadata],
    queryMetadataForKey<K>(store: string, _key: K, _serde: Serde<K>): KeyQueryMetadata | undefined {
      return storeNames.includes(store) ? { activeHost: host, partition: 0 } : undefined;
    },
    // Checked as KafkaStreams.store checks: a window store asked for as key-value is a StoreTypeError.
    store<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
      return checked(driver.getKeyValueStore<K, V>(name), name, 'keyValue');
    },
    windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
      return checked(driver.getWindowStore<K, V>(name), name, 'window');
    },
    sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
      return checked(driver.getSessionStore<K, V>(name), name, 'session');
    },
    metrics(): EngineMetrics {
      return { ...driver.metrics(), state: 'RUNNING', tasks: metadata.tasks, restoredRecords: 0 };
    },
  };
}
