// The transaction protocol a broker speaks (Kafka's `transaction.version` feature): 2 is
// KIP-890 part 2 (Produce v12, EndTxn v5, TxnOffsetCommit v5, AddPartitionsToTxn v4+); 1
// caps those APIs below it, so clients keep the KIP-98 round trips.
import type { AnyHandler } from './types.ts';

export type TransactionVersion = 1 | 2;
export const DEFAULT_TRANSACTION_VERSION: TransactionVersion = 2;

/** The newest version of each API that transaction.version 1 allows. */
export const TV1_MAX_VERSIONS: ReadonlyMap<number, number> = new Map([[0, 11], [24, 3], [26, 4], [28, 4]]);

/** The transaction.version a registry serves: 2 once EndTxn v5 is in it. */
export function transactionVersionOf(apis: readonly AnyHandler[]): TransactionVersion {
  return (apis.find((h) => h.apiKey === 26)?.maxVersion ?? 0) >= 5 ? 2 : 1;
}
