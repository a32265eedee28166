// Where transaction metadata persists: nowhere by default, or <dataDir>/transactions/state.json,
// rewritten whole (temp file + rename) on every state change, so a crash leaves the last
// complete version. Kafka keeps the same facts in __transaction_state.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartitionOffsetCommit } from '../groups/types.ts';
import { TxnStoreError, type TopicPartition, type TransactionMetadata, type TxnStateName } from './types.ts';

export interface TxnRecord {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnStateName;
  readonly partitions: readonly TopicPartition[];
  readonly pendingOffsets: readonly { readonly groupId: string; readonly offsets: readonly PartitionOffsetCommit[] }[];
  readonly startedAt: number;
  readonly lastUpdate: number;
}

export interface TxnStore {
  load(): TxnRecord[];
  save(records: readonly TxnRecord[]): void;
}

export const memoryTxnStore = (): TxnStore => ({ load: () => [], save: () => {} });

export class FileTxnStore implements TxnStore {
  private readonly path: string;

  constructor(readonly dir: string) {
    this.path = join(dir, 'state.json');
  }

  load(): TxnRecord[] {
    if (!existsSync(this.path)) return [];
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as TxnRecord[];
    } catch (cause) {
      throw new TxnStoreError(`cannot read transaction state ${this.path}`, { cause });
    }
  }

  save(records: readonly TxnRecord[]): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(`${this.path}.tmp`, JSON.stringify(records));
      renameSync(`${this.path}.tmp`, this.path);
    } catch (cause) {
      throw new TxnStoreError(`cannot write transaction state ${this.path}; check that the data dir is writable`, { cause });
    }
  }
}

export function toRecord(t: TransactionMetadata): TxnRecord {
  return {
    transactionalId: t.transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch,
    timeoutMs: t.timeoutMs, state: t.state, partitions: [...t.partitions.values()],
    pendingOffsets: [...t.pendingOffsets].map(([groupId, m]) => ({ groupId, offsets: [...m.values()] })),
    startedAt: t.startedAt, lastUpdate: t.lastUpdate,
  };
}
