// The broker's one group coordinator, created on first use and closed with the broker.
// With a data dir, committed offsets persist in <dataDir>/groups/offsets.jsonl (logs live
// in <dataDir>/logs, see storage/topic-store.ts).
import { join } from 'node:path';
import type { BrokerState } from '../state.ts';
import { GroupCoordinator } from './coordinator.ts';
import { FileOffsetStore, memoryOffsetStore } from './offset-store.ts';

const KEY = Symbol('group-coordinator');

export function groupCoordinator(broker: BrokerState): GroupCoordinator {
  return broker.service(KEY, (b) => new GroupCoordinator({
    // As the project's real test broker (scripts/kafka/broker.ts): short session timeouts
    // allowed so failover tests stay quick; groups start with no initial rebalance delay.
    minSessionTimeoutMs: 1000,
    initialRebalanceDelayMs: 0,
    offsetStore: b.config.dataDir ? new FileOffsetStore(join(b.config.dataDir, 'groups')) : memoryOffsetStore(),
  }));
}
