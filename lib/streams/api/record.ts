/** One Kafka header; the same key may appear more than once, in order. */
export interface Header {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export type Headers = readonly Header[];

/**
 * An immutable record flowing through a topology, as in Kafka Streams'
 * `org.apache.kafka.streams.processor.api.Record`. Copies are made with `with*`.
 */
export class Record<K, V> {
  constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: Headers = [],
  ) {
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      throw new RangeError(`Record timestamp must be a finite number >= 0, got ${timestamp}`);
    }
  }

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }

  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }
}

/** A key and a value, as returned by store scans and test output topics. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}
