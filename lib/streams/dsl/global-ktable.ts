/** A table every instance holds in full (Kafka Streams' `GlobalKTable`); streams join it by a mapped key. */
export class GlobalKTable<K, V> {
  declare readonly _types: [K, V];
  constructor(readonly queryableStoreName: string) {}
}
