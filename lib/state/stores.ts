import type { Serde } from '../streams/api/serde.ts';
import type { KeyValueBytesStoreSupplier, KeyValueStore, StoreBuilder } from './api/store.ts';
import { changeLogging } from './change-logging.ts';
import { SerdeKeyValueStore } from './serde-store.ts';
import { bufferedUntilCommit } from './write-buffer.ts';
import { inMemoryKeyValueStore } from './stores/in-memory.ts';
import { persistentKeyValueStore, type LevelDbStoreOptions } from './stores/leveldb.ts';

type TopicConfig = Readonly<{ [key: string]: string }>;

/**
 * Builds a typed key-value store over a byte store from `supplier`, change-logged unless
 * `withLoggingDisabled()` was called; a logged persistent store also gets a write buffer.
 * As in Kafka Streams, the `with*` methods change this builder and return it.
 */
export class KeyValueStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
  #loggingEnabled = true;
  #logConfig: TopicConfig = compacted({});

  constructor(
    readonly supplier: KeyValueBytesStoreSupplier,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
  ) {}

  get name(): string { return this.supplier.name; }
  get loggingEnabled(): boolean { return this.#loggingEnabled; }
  get logConfig(): TopicConfig { return this.#logConfig; }

  /** `config` holds changelog topic configs; `cleanup.policy` is always `compact`. */
  withLoggingEnabled(config: TopicConfig = {}): this {
    this.#loggingEnabled = true;
    this.#logConfig = compacted(config);
    return this;
  }

  withLoggingDisabled(): this {
    this.#loggingEnabled = false;
    return this;
  }

  build(): KeyValueStore<K, V> {
    const inner = this.supplier.get();
    if (inner.name !== this.name) {
      throw new TypeError(`Store supplier '${this.name}' made a store named '${inner.name}'`);
    }
    if (!this.#loggingEnabled) return new SerdeKeyValueStore(inner, this.keySerde, this.valueSerde);
    // A persistent store must not hold a write its changelog lacks: after a crash, the restore
    // trusts it up to its checkpoint. So its writes wait in memory until the commit's acks.
    const local = inner.persistent ? bufferedUntilCommit(inner) : inner;
    return new SerdeKeyValueStore(changeLogging(local), this.keySerde, this.valueSerde);
  }
}

// A key-value changelog keeps the latest value per key; a policy without compaction would
// lose keys that were not written recently.
function compacted(config: TopicConfig): TopicConfig {
  const policy = config['cleanup.policy'];
  if (policy !== undefined && !policy.split(',').map((p) => p.trim()).includes('compact')) {
    throw new RangeError(`A key-value store changelog must be compacted, got cleanup.policy '${policy}'`);
  }
  return Object.freeze({ ...config, 'cleanup.policy': policy ?? 'compact' });
}

// A store name becomes part of a topic name and of a directory path (Kafka's legal topic characters).
function validName(name: string): string {
  if (!/^[a-zA-Z0-9._-]{1,200}$/.test(name) || name === '.' || name === '..') {
    throw new RangeError(`Invalid store name '${name}': use 1-200 of a-z A-Z 0-9 . _ -`);
  }
  return name;
}

/** Factories for the built-in stores, as in Kafka Streams' `Stores`. */
export const Stores = {
  /** A store held in memory; rebuilt from its changelog when a task starts. */
  inMemoryKeyValueStore: (name: string): KeyValueBytesStoreSupplier => inMemoryKeyValueStore(validName(name)),
  /** A LevelDB store in `<stateDir>/<name>`. */
  persistentKeyValueStore: (name: string, options?: LevelDbStoreOptions): KeyValueBytesStoreSupplier =>
    persistentKeyValueStore(validName(name), options),
  keyValueStoreBuilder: <K, V>(supplier: KeyValueBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): KeyValueStoreBuilder<K, V> =>
    new KeyValueStoreBuilder(supplier, keySerde, valueSerde),
} as const;
