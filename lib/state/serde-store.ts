import type { KeyValue } from '../streams/api/record.ts';
import type { Serde } from '../streams/api/serde.ts';
import type { KeyValueBytesStore, StateStoreContext } from './api/store.ts';
import { WrappedKeyValueStore } from './wrapped-store.ts';

/**
 * The typed view of a byte store that processors get from `getStateStore`: keys and values
 * go through their serdes (with the changelog topic as the serde's topic, as Kafka Streams
 * does). Ranges follow the order of the serialized keys.
 */
export class SerdeKeyValueStore<K, V> extends WrappedKeyValueStore<K, V> {
  #topic: string | undefined;

  constructor(
    wrapped: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(wrapped);
  }

  override async init(context: StateStoreContext): Promise<void> {
    this.#topic = `${context.applicationId}-${this.name}-changelog`;
    await this.wrapped.init(context);
  }

  get(key: K): V | undefined {
    return this.#value(this.wrapped.get(this.#key(key)));
  }

  put(key: K, value: V): void {
    this.wrapped.put(this.#key(key), this.valueSerde.serialize(value, this.#topic));
  }

  // One serialization, no deserialization of the value already there unless there is one.
  override putIfAbsent(key: K, value: V): V | undefined {
    return this.#value(this.wrapped.putIfAbsent(this.#key(key), this.valueSerde.serialize(value, this.#topic)));
  }

  override putAll(entries: readonly KeyValue<K, V>[]): void {
    this.wrapped.putAll(entries.map(({ key, value }) => ({ key: this.#key(key), value: this.valueSerde.serialize(value, this.#topic) })));
  }

  delete(key: K): V | undefined {
    return this.#value(this.wrapped.delete(this.#key(key)));
  }

  range(from?: K, to?: K): IterableIterator<KeyValue<K, V>> {
    const bytes = this.wrapped.range(from === undefined ? undefined : this.#key(from), to === undefined ? undefined : this.#key(to));
    return this.#typed(bytes);
  }

  override all(): IterableIterator<KeyValue<K, V>> {
    return this.#typed(this.wrapped.all());
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }

  *#typed(entries: Iterable<KeyValue<Uint8Array, Uint8Array>>): Generator<KeyValue<K, V>, undefined, undefined> {
    for (const { key, value } of entries) {
      yield { key: this.keySerde.deserialize(key, this.#topic), value: this.valueSerde.deserialize(value, this.#topic) };
    }
    return undefined;
  }

  #key(key: K): Uint8Array {
    if (key === null || key === undefined) throw new TypeError(`Store '${this.name}' does not take a ${key} key`);
    return this.keySerde.serialize(key, this.#topic);
  }

  #value(bytes: Uint8Array | undefined): V | undefined {
    return bytes === undefined ? undefined : this.valueSerde.deserialize(bytes, this.#topic);
  }
}
