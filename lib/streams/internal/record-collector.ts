import type { Headers } from '../api/record.ts';

/** A record as it comes off a topic partition: bytes, before the source deserializes it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Headers;
}

/** A record a sink (or a changelog) sends; no partition means "hash the key". */
export interface ProducedRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * Where a task's output goes: the runtime sends it to Kafka (and awaits the acks before a
 * commit), the test driver keeps it in memory.
 */
export interface RecordCollector {
  send(record: ProducedRecord): void;
  /** Partition count of a topic, when known (for custom partitioners). */
  partitionsFor(topic: string): number | undefined;
}

/** Kafka Streams' changelog naming: `<applicationId>-<storeName>-changelog`. */
export function changelogTopic(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}
