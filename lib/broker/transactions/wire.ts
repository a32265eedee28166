// What the transaction handlers share in their wire answers.
import { ErrorCode } from '../protocol/errors.ts';
import type { TxnPartitionError } from './types.ts';

/**
 * PRODUCER_FENCED (90) exists from AddPartitionsToTxn/AddOffsetsToTxn/EndTxn/TxnOffsetCommit
 * v2 and InitProducerId v4 (KIP-588); older versions get INVALID_PRODUCER_EPOCH for it, as
 * Kafka answers them.
 */
export function fencedFor(version: number, errorCode: number, firstFencedVersion = 2): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && version < firstFencedVersion ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}

/** Per-partition errors grouped by topic, in first-seen order. */
export function byTopic(errors: readonly TxnPartitionError[]): { name: string; partitions: { partition: number; errorCode: number }[] }[] {
  const topics = new Map<string, { partition: number; errorCode: number }[]>();
  for (const e of errors) {
    let list = topics.get(e.topic);
    if (!list) topics.set(e.topic, (list = []));
    list.push({ partition: e.partition, errorCode: e.errorCode });
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}
