import type { KeyValue } from '../streams/api/record.ts';
import type { Serde } from '../streams/api/serde.ts';
import type { KeyValueBytesStore, KeyValueStore, StateStoreContext } from './api/store.ts';

/**
 * The typed view of a byte store that processors get from `getStateStore`: keys and values
 * go through their serdes (with the changelog topic as the serde's topic, as Kafka Streams
 * does). Ranges follow the order of the serialized keys.
 */
export class SerdeKeyValueStore<K, V> implements KeyValueStore<K, V> {
  #topic: string | undefined;

  constructor(
    readonly inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  get name(): string { return this.inner.name; }
  get persistent(): boolean { return this.inner.persistent; }
  get isOpen(): boolean { return this.inner.isOpen; }

  async init(context: StateStoreContext): Promise<void> {
    this.#topic = `${context.applicationId}-${this.name}-changelog`;
    await this.inner.init(context);
  }

  flush(): Promise<void> { return this.inner.flush(); }
  close(): Promise<void> { return this.inner.close(); }

  get(key: K): V | undefined {
    return this.#value(this.inner.get(this.#key(key)));
  }

  put(key: K, value: V): void {
    this.inner.put(this.#key(key), this.valueSerde.serialize(value, this.#topic));
  }

  putIfAbsent(key: K, value: V): V | undefined {
    return this.#value(this.inner.putIfAbsent(this.#key(key), this.valueSerde.serialize(value, this.#topic)));
  }

  putAll(entries: readonly KeyValue<K, V>[]): void {
    this.inner.putAll(entries.map(({ key, value }) => ({ key: this.#key(key), value: this.valueSerde.serialize(value, this.#topic) })));
  }

  delete(key: K): V | undefined {
    return this.#value(this.inner.delete(this.#key(key)));
  }

  range(from?: K, to?: K): IterableIterator<KeyValue<K, V>> {
    const bytes = this.inner.range(from === undefined ? undefined : this.#key(from), to === undefined ? undefined : this.#key(to));
    return this.#typed(bytes);
  }

  all(): IterableIterator<KeyValue<K, V>> {
    return this.#typed(this.inner.all());
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
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
