// `modelstream/broker`: the embedded single-node Kafka-compatible broker (kafkajs and other
// clients connect unchanged), for tests, demos and development without a JVM.
export { startBroker } from './server.ts';
export type { BrokerOptions, RunningBroker } from './server.ts';
export type { BrokerLog } from './state.ts';
export type { CompactionStats } from './storage/compaction.ts';
