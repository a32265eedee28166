import type { Serde } from '../streams/api/serde.ts';
import type { KeyValueBytesStoreSupplier, KeyValueStore } from './api/store.ts';
import { SerdeKeyValueStore } from './serde-store.ts';
import { inMemoryKeyValueStore } from './stores/in-memory.ts';
import { persistentKeyValueStore, type LevelDbStoreOptions } from './stores/leveldb.ts';
import type { SessionStore, WindowStore } from './api/window-store.ts';
import { LayeredStoreBuilder } from './layered-builder.ts';
import { TimestampedKeyValueStoreView, type TimestampedKeyValueStore } from './timestamped.ts';
import { SegmentedSessionStore } from './window/session-store.ts';
import { SegmentedWindowStore } from './window/window-store.ts';

/**
 * Builds a typed key-value store over a byte store from `supplier`, change-logged unless
 * `withLoggingDisabled()` was called; a logged persistent store also gets a write buffer (a
 * persistent store must not hold a write its changelog lacks: after a crash, the restore trusts
 * it up to its checkpoint). As in Kafka Streams, the `with*` methods change this builder and return it.
 */
export class KeyValueStoreBuilder<K, V> extends LayeredStoreBuilder<KeyValueStore<K, V>> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
  ) {
    super(supplier, (bytes) => new SerdeKeyValueStore(bytes, keySerde, valueSerde));
  }
}

// A store name becomes part of a topic name and of a directory path (Kafka's legal topic characters).
function validName(name: string): string {
  if (!/^[a-zA-Z0-9._-]{1,200}$/.test(name) || name === '.' || name === '..') {
    throw new RangeError(`Invalid store name '${name}': use 1-200 of a-z A-Z 0-9 . _ -`);
  }
  return name;
}

const keyValueStores = {
  /** A store held in memory; rebuilt from its changelog when a task starts. */
  inMemoryKeyValueStore: (name: string): KeyValueBytesStoreSupplier => inMemoryKeyValueStore(validName(name)),
  /** A LevelDB store in `<stateDir>/<name>`. */
  persistentKeyValueStore: (name: string, options?: LevelDbStoreOptions): KeyValueBytesStoreSupplier =>
    persistentKeyValueStore(validName(name), options),
  keyValueStoreBuilder: <K, V>(supplier: KeyValueBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): KeyValueStoreBuilder<K, V> =>
    new KeyValueStoreBuilder(supplier, keySerde, valueSerde),
} as const;

export interface WindowStoreSupplierOptions {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates?: boolean;
  readonly segmentIntervalMs?: number;
}

/** A window store's bytes: a key-value byte store of composite keys, and the window's shape. */
export interface WindowBytesStoreSupplier {
  readonly name: string;
  readonly bytes: KeyValueBytesStoreSupplier;
  readonly options: WindowStoreSupplierOptions;
}

export interface SessionBytesStoreSupplier {
  readonly name: string;
  readonly bytes: KeyValueBytesStoreSupplier;
  readonly options: { readonly retentionMs: number; readonly segmentIntervalMs?: number };
}

/**
 * Factories for the built-in stores, as in Kafka Streams' `Stores`. Window, session and
 * timestamped stores are built on the key-value byte stores.
 */
export const Stores = {
  ...keyValueStores,
  inMemoryWindowStore: (name: string, options: WindowStoreSupplierOptions): WindowBytesStoreSupplier =>
    ({ name, bytes: keyValueStores.inMemoryKeyValueStore(name), options }),
  persistentWindowStore: (name: string, options: WindowStoreSupplierOptions): WindowBytesStoreSupplier =>
    ({ name, bytes: keyValueStores.persistentKeyValueStore(name), options }),
  inMemorySessionStore: (name: string, options: { retentionMs: number }): SessionBytesStoreSupplier =>
    ({ name, bytes: keyValueStores.inMemoryKeyValueStore(name), options }),
  persistentSessionStore: (name: string, options: { retentionMs: number }): SessionBytesStoreSupplier =>
    ({ name, bytes: keyValueStores.persistentKeyValueStore(name), options }),
  windowStoreBuilder: <K, V>(supplier: WindowBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): LayeredStoreBuilder<WindowStore<K, V>> =>
    new LayeredStoreBuilder(supplier.bytes, (bytes) => new SegmentedWindowStore(bytes, keySerde, valueSerde, supplier.options)),
  sessionStoreBuilder: <K, V>(supplier: SessionBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): LayeredStoreBuilder<SessionStore<K, V>> =>
    new LayeredStoreBuilder(supplier.bytes, (bytes) => new SegmentedSessionStore(bytes, keySerde, valueSerde, supplier.options)),
  timestampedKeyValueStoreBuilder: <K, V>(supplier: KeyValueBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): LayeredStoreBuilder<TimestampedKeyValueStore<K, V>> =>
    new LayeredStoreBuilder(supplier, (bytes) => new TimestampedKeyValueStoreView(bytes, keySerde, valueSerde)),
} as const;
