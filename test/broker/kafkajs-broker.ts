// kafkajs's own single-broker client (its internal Broker class, unchanged): lets tests
// fetch and list offsets partition by partition without a consumer group.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ConnectionPool = require('kafkajs/src/network/connectionPool.js');
const Broker = require('kafkajs/src/broker/index.js');
const { createLogger, LEVELS } = require('kafkajs/src/loggers/index.js');
const socketFactory = require('kafkajs/src/network/socketFactory.js');

export interface FetchedMessage { offset: string; key: Buffer | null; value: Buffer | null; timestamp: string; headers: Record<string, Buffer> }
export interface FetchedPartition { partition: number; errorCode: number; highWatermark: string; messages: FetchedMessage[] }
export interface KafkajsBroker {
  fetch(opts: {
    maxWaitTime?: number; minBytes?: number; maxBytes?: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchedPartition[] }[] }>;
  disconnect(): Promise<void>;
}

export async function connectKafkajsBroker(host: string, port: number): Promise<KafkajsBroker> {
  const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} });
  const connectionPool = new ConnectionPool({
    host, port, logger, socketFactory: socketFactory(), requestTimeout: 30_000, connectionTimeout: 3000, clientId: 'test',
  });
  const broker = new Broker({ connectionPool, logger });
  await broker.connect();
  return broker as KafkajsBroker;
}
