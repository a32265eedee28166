import type { KeyValueBytesStore, KeyValueBytesStoreSupplier, StateStore, StoreBuilder } from './api/store.ts';
import { changeLogging } from './change-logging.ts';
import { bufferedUntilCommit } from './write-buffer.ts';

type TopicConfig = Readonly<{ [key: string]: string }>;

/**
 * Builds a store that layers typed behaviour (`wrap`) over a byte store from `supplier`:
 * change-logged unless `withLoggingDisabled()`, and a logged persistent store gets a write
 * buffer. Key-value (`Stores.keyValueStoreBuilder`), window, session and timestamped stores
 * are all built this way, so they restore, buffer and log alike.
 */
export class LayeredStoreBuilder<S extends StateStore> implements StoreBuilder<S> {
  #loggingEnabled = true;
  #logConfig: TopicConfig = compacted({});

  constructor(
    readonly supplier: KeyValueBytesStoreSupplier,
    private readonly wrap: (bytes: KeyValueBytesStore) => S,
  ) {}

  get name(): string { return this.supplier.name; }
  get loggingEnabled(): boolean { return this.#loggingEnabled; }
  get logConfig(): TopicConfig { return this.#logConfig; }

  withLoggingEnabled(config: TopicConfig = {}): this {
    this.#loggingEnabled = true;
    this.#logConfig = compacted(config);
    return this;
  }

  withLoggingDisabled(): this {
    this.#loggingEnabled = false;
    return this;
  }

  build(): S {
    const inner = this.supplier.get();
    if (inner.name !== this.name) throw new TypeError(`Store supplier '${this.name}' made a store named '${inner.name}'`);
    if (!this.#loggingEnabled) return this.wrap(inner);
    return this.wrap(changeLogging(inner.persistent ? bufferedUntilCommit(inner) : inner));
  }
}

// Every changelog here is keyed by the full store key (window and session keys included), so
// compaction keeps what a restore needs; expired windows are logged as deletes.
function compacted(config: TopicConfig): TopicConfig {
  const policy = config['cleanup.policy'];
  if (policy !== undefined && !policy.split(',').map((p) => p.trim()).includes('compact')) {
    throw new RangeError(`A store changelog must be compacted, got cleanup.policy '${policy}'`);
  }
  return Object.freeze({ ...config, 'cleanup.policy': policy ?? 'compact' });
}
