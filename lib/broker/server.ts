// startBroker: the embedded single-node Kafka broker on a TCP port.
import { createServer, type Socket } from 'node:net';
import { serveConnection } from './connection.ts';
import { registryFor } from './handlers/index.ts';
import { DEFAULT_TRANSACTION_VERSION, type TransactionVersion } from './handlers/transaction-version.ts';
import { BrokerState, type BrokerLog } from './state.ts';
import { TopicStore } from './storage/topic-store.ts';
import { KAFKA_MAX_MESSAGE_BYTES } from './storage/topic-config.ts';
import { Compactor, type CompactionStats } from './storage/compaction.ts';
import { transactionCoordinator } from './transactions/service.ts';

export interface BrokerOptions {
  /** 0 picks a free port. Default 9092. */
  readonly port?: number;
  readonly host?: string;
  /** Persist logs here and reload them on start; memory only when absent. */
  readonly dataDir?: string;
  /** Metadata for an unknown topic creates it (auto.create.topics.enable). Default true. */
  readonly autoCreateTopics?: boolean;
  readonly defaultPartitions?: number;
  /** Largest request accepted, in bytes; default 100 MiB. */
  readonly maxFrameBytes?: number;
  /** message.max.bytes: largest record batch a topic accepts unless it sets max.message.bytes; default 1048588, as Kafka. */
  readonly maxMessageBytes?: number;
  readonly compactionIntervalMs?: number;
  readonly tombstoneRetentionMs?: number;
  /** transaction.max.timeout.ms; default 900000, as Kafka. */
  readonly transactionMaxTimeoutMs?: number;
  /** How often transactions past their timeout are aborted; default 1000 ms. */
  readonly transactionCheckIntervalMs?: number;
  /** group.consumer.heartbeat.interval.ms, told to KIP-848 consumers; default 5000, as Kafka. */
  readonly consumerGroupHeartbeatIntervalMs?: number;
  /** group.consumer.session.timeout.ms; default 45000, as Kafka. */
  readonly consumerGroupSessionTimeoutMs?: number;
  readonly log?: BrokerLog;
  /**
   * Log every request as `request <Api> v<version>` (level debug, with apiKey, apiVersion,
   * connectionId, clientId): shows which versions clients negotiated. Default
   * MODELSTREAM_BROKER_REQUEST_LOG=1.
   */
  readonly logRequests?: boolean;
  /**
   * transaction.version finalized and advertised in ApiVersions: 2 (KIP-890 part 2, the
   * default) or 1 (the pre-4.0 transaction APIs only).
   */
  readonly transactionVersion?: TransactionVersion;
}

export interface RunningBroker {
  readonly port: number;
  readonly host: string;
  /** `host:port` strings for a client's `brokers` option. */
  readonly brokers: string[];
  /** Runs a compaction pass now (it also runs every compactionIntervalMs). */
  compact(): CompactionStats;
  stop(): Promise<void>;
}

const quiet: BrokerLog = () => {};

// The broker's internal state (topics, logs, services) is reachable for the project's own tests,
// not through the public RunningBroker.
const internalStates = new WeakMap<RunningBroker, BrokerState>();

/** The internal state of a running broker; not part of the public API. */
export function brokerStateOf(broker: RunningBroker): BrokerState {
  const state = internalStates.get(broker);
  if (!state) throw new TypeError('not a broker started by startBroker');
  return state;
}

export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? quiet;
  const topics = new TopicStore(options.dataDir);
  const sockets = new Set<Socket>();
  let state: BrokerState | undefined;
  let nextConnectionId = 1;
  const logRequests = options.logRequests ?? process.env.MODELSTREAM_BROKER_REQUEST_LOG === '1';

  const registry = registryFor(options.transactionVersion ?? DEFAULT_TRANSACTION_VERSION);

  const server = createServer((socket) => {
    if (!state) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, {
      broker: state,
      apis: registry.apis,
      handlerFor: registry.handlerFor,
      connectionId: nextConnectionId++,
      maxInFlight: 64,
      maxUnsentBytes: 64 * 1024 * 1024,
      logRequests,
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9092, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 9092);
  const st = new BrokerState(
    { nodeId: 0, host, port, rack: null },
    {
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions: options.defaultPartitions ?? 1,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
      maxMessageBytes: options.maxMessageBytes ?? KAFKA_MAX_MESSAGE_BYTES,
      dataDir: options.dataDir,
      compactionIntervalMs: options.compactionIntervalMs ?? 30_000,
      tombstoneRetentionMs: options.tombstoneRetentionMs ?? 24 * 3600_000,
      transactionMaxTimeoutMs: options.transactionMaxTimeoutMs ?? 900_000,
      transactionCheckIntervalMs: options.transactionCheckIntervalMs ?? 1000,
      consumerGroupHeartbeatIntervalMs: options.consumerGroupHeartbeatIntervalMs ?? 5000,
      consumerGroupSessionTimeoutMs: options.consumerGroupSessionTimeoutMs ?? 45_000,
    },
    topics,
    log,
  );
  // Before any client is served: a restart settles the transactions a crash left open.
  transactionCoordinator(st);
  state = st;
  const compactor = new Compactor(topics, st.config.tombstoneRetentionMs);
  const compactTimer = setInterval(() => {
    try {
      compactor.run();
    } catch (err) {
      log('error', `compaction failed: ${(err as Error).message}`);
    }
  }, st.config.compactionIntervalMs);
  compactTimer.unref();
  log('info', `broker listening on ${host}:${port}`, { dataDir: options.dataDir });

  let stopped: Promise<void> | undefined;
  const running: RunningBroker = {
    port,
    host,
    brokers: [`${host}:${port}`],
    compact: () => compactor.run(),
    stop() {
      stopped ??= (async () => {
        clearInterval(compactTimer);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        await st.closeServices();
        topics.close();
      })();
      return stopped;
    },
  };
  internalStates.set(running, st);
  return running;
}
