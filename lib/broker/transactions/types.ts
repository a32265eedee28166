// A transactional id's metadata, as Kafka's TransactionMetadata: the producer id and epoch
// it hands out, the transaction timeout, and the state of its current transaction.
import type { PartitionOffsetCommit } from '../groups/types.ts';

/**
 * Empty: no transaction yet (or after InitProducerId). Ongoing: partitions or offsets added.
 * PrepareCommit/PrepareAbort: EndTxn accepted, markers being written (what a restart finds
 * after a crash mid-EndTxn). CompleteCommit/CompleteAbort: markers written. Dead: expired id.
 */
export type TxnStateName = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead';

/** Kafka's TransactionState valid previous states. */
export const VALID_PREVIOUS: Readonly<Record<TxnStateName, readonly TxnStateName[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  // From a finished or empty transaction: EndTxn v5 may abort with nothing added (KIP-890 part 2).
  PrepareAbort: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteCommit', 'CompleteAbort'],
};

export interface TopicPartition { readonly topic: string; readonly partition: number }

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  /** Partitions in the current transaction, by tpKey. */
  partitions: Map<string, TopicPartition>;
  /** Groups added by AddOffsetsToTxn, with the offsets TxnOffsetCommit sent (visible on commit). */
  pendingOffsets: Map<string, Map<string, PartitionOffsetCommit>>;
  /** When the current transaction became Ongoing (its timeout counts from here); -1 when none. */
  startedAt: number;
  lastUpdate: number;
  /** The id and epoch the last EndTxn v5 ended under, so its retry is recognised (memory only). */
  lastEnd?: { producerId: number; producerEpoch: number };
}

/** EndTxn v5's answer: the producer id and epoch to go on with (-1 / -1 on error). */
export interface EndTxnResult { readonly errorCode: number; readonly producerId: number; readonly producerEpoch: number }

export interface TransactionSnapshot {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnStateName;
  readonly partitions: readonly TopicPartition[];
  readonly groups: readonly string[];
}

export type InitProducerIdResult =
  | { readonly kind: 'ok'; readonly producerId: number; readonly producerEpoch: number }
  | { readonly kind: 'error'; readonly errorCode: number };

/** The producer identity every transactional request carries. */
export interface TxnIdentity {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface TxnOffsetCommitRequest extends TxnIdentity {
  readonly groupId: string;
  /** -1 / '' / null before TxnOffsetCommit v3 (KIP-447). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly offsets: readonly PartitionOffsetCommit[];
  /** TxnOffsetCommit v5 (KIP-890 part 2): the group joins the transaction without AddOffsetsToTxn. */
  readonly implicitAddOffsets?: boolean;
}

export interface TxnPartitionError extends TopicPartition { readonly errorCode: number }

/** A bug in the coordinator, never a client's fault: the connection closes. */
export class IllegalTxnTransitionError extends Error {
  override readonly name = 'IllegalTxnTransitionError';
}

export class TxnStoreError extends Error {
  override readonly name = 'TxnStoreError';
}
