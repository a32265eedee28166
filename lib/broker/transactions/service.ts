// The broker's one transaction coordinator. startBroker creates it at start-up, so a restart
// settles transactions a crash left open before any client reads; with a data dir its
// metadata persists in <dataDir>/transactions/state.json. A timer aborts expired transactions.
import { join } from 'node:path';
import { groupCoordinator } from '../groups/service.ts';
import type { BrokerState } from '../state.ts';
import { TransactionCoordinator } from './coordinator.ts';
import { producerIds } from './producer-ids.ts';
import { FileTxnStore, memoryTxnStore } from './txn-store.ts';

const KEY = Symbol('transaction-coordinator');

class TransactionService {
  readonly coordinator: TransactionCoordinator;
  private readonly timer: NodeJS.Timeout;

  constructor(b: BrokerState) {
    this.coordinator = new TransactionCoordinator({
      topics: b.topics,
      groups: groupCoordinator(b),
      store: b.config.dataDir ? new FileTxnStore(join(b.config.dataDir, 'transactions')) : memoryTxnStore(),
      allocateProducerId: () => producerIds(b).allocate(),
      maxTimeoutMs: b.config.transactionMaxTimeoutMs,
      onError: (message, cause) => b.log('error', message, { cause: String(cause) }),
    });
    this.timer = setInterval(() => {
      try {
        this.coordinator.expire();
      } catch (err) {
        b.log('error', `transaction expiry failed: ${(err as Error).message}`);
      }
    }, b.config.transactionCheckIntervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

export function transactionCoordinator(broker: BrokerState): TransactionCoordinator {
  return broker.service(KEY, (b) => new TransactionService(b)).coordinator;
}
