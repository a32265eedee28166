import type { Headers, KeyValue } from '../streams/api/record.ts';
import type { Serde } from '../streams/api/serde.ts';
import type { ProducedRecord } from '../streams/internal/record-collector.ts';

/** A record read back from an output topic of the test driver. */
export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Feeds records into a topic of the driver; each pipe processes the record fully before it resolves. */
export class TestInputTopic<K, V> {
  constructor(
    readonly topic: string,
    private readonly pipe: (topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number | undefined, headers: Headers) => Promise<void>,
    private readonly keySerde?: Serde<K>,
    private readonly valueSerde?: Serde<V>,
  ) {}

  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = []): Promise<void> {
    return this.pipe(this.topic, encode(key, this.keySerde, this.topic), encode(value, this.valueSerde, this.topic), timestamp, headers);
  }

  async pipeKeyValueList(records: readonly KeyValue<K | null, V | null>[], timestamp?: number): Promise<void> {
    for (const r of records) await this.pipeInput(r.key, r.value, timestamp);
  }

  async pipeValueList(values: readonly (V | null)[], timestamp?: number): Promise<void> {
    for (const v of values) await this.pipeInput(null, v, timestamp);
  }
}

/** Reads what the topology wrote to one topic, oldest first. */
export class TestOutputTopic<K, V> {
  constructor(
    readonly topic: string,
    private readonly queue: ProducedRecord[],
    private readonly keySerde?: Serde<K>,
    private readonly valueSerde?: Serde<V>,
  ) {}

  readRecord(): TestRecord<K, V> {
    const raw = this.queue.shift();
    if (!raw) throw new Error(`Output topic "${this.topic}" is empty`);
    return {
      key: decode(raw.key, this.keySerde, this.topic) as K,
      value: decode(raw.value, this.valueSerde, this.topic) as V,
      timestamp: raw.timestamp,
      headers: raw.headers,
    };
  }

  readKeyValue(): KeyValue<K, V> {
    const { key, value } = this.readRecord();
    return { key, value };
  }

  readValue(): V {
    return this.readRecord().value;
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (this.queue.length) out.push(this.readRecord());
    return out;
  }

  readKeyValuesToList(): KeyValue<K, V>[] {
    return this.readRecordsToList().map(({ key, value }) => ({ key, value }));
  }

  /** The latest value per key (keys compared by value for strings and numbers). */
  readKeyValuesToMap(): Map<K, V> {
    return new Map(this.readKeyValuesToList().map(({ key, value }) => [key, value]));
  }

  isEmpty(): boolean {
    return this.queue.length === 0;
  }

  getQueueSize(): number {
    return this.queue.length;
  }
}

function encode<T>(data: T | null, serde: Serde<T> | undefined, topic: string): Uint8Array | null {
  if (data === null || data === undefined) return null;
  if (serde) return serde.serialize(data, topic);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`Topic "${topic}" was created without a serde, so keys and values must be Uint8Array`);
}

function decode<T>(bytes: Uint8Array | null, serde: Serde<T> | undefined, topic: string): T | Uint8Array | null {
  if (bytes === null) return null;
  return serde ? serde.deserialize(bytes, topic) : bytes;
}
