import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExceptionHandler, ProductionExceptionHandler } from '../streams/api/handlers.ts';

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

export interface StreamsConfig {
  /** Names the consumer group, the changelog topics and the state directory. */
  readonly applicationId: string;
  readonly brokers: readonly string[];
  /** Root of the state directories (default: `<tmp>/modelstream`). */
  readonly stateDir?: string;
  /** `host:port` this instance serves interactive queries on, advertised to the group. */
  readonly applicationServer?: string;
  /**
   * at_least_once (default): outputs and changelogs are sent, then offsets committed; a crash
   * re-sends up to one commit's outputs. exactly_once_v2: each commit of a task is one Kafka
   * transaction (outputs, changelog records, source offset), read back read_committed; a crash
   * or a failed transaction leaves nothing of it visible and the task's stores roll back to it.
   */
  readonly processingGuarantee?: ProcessingGuarantee;
  /** Under exactly_once_v2, how long the broker lets a transaction stay open before aborting it (default 10000, as Kafka Streams). */
  readonly transactionTimeoutMs?: number;
  /** How often offsets are committed at the latest, also within a fetched batch; every batch is committed when done (default 100). */
  readonly commitIntervalMs?: number;
  /**
   * Records a task processes between two commits at most, also within a fetched batch
   * (default 1000): a crash re-processes (and re-sends the results of) at most this many
   * records per partition, or what `commitIntervalMs` allows, whichever is less.
   */
  readonly maxRecordsPerCommit?: number;
  readonly clientId?: string;
  /** Partitions processed at once by this instance (kafkajs `partitionsConsumedConcurrently`, default 4). */
  readonly concurrency?: number;
  readonly sessionTimeoutMs?: number;
  /**
   * How long a fetch waits at the broker for records (Kafka's `fetch.max.wait.ms`; default 5000,
   * kafkajs's, where Kafka's is 500): close() waits for the fetch in flight, so this bounds it too.
   */
  readonly fetchMaxWaitMs?: number;
  readonly onDeserializationError?: ExceptionHandler;
  readonly onProcessingError?: ExceptionHandler;
  /** An output record the broker refuses (too large, invalid); default: log, count, drop. */
  readonly onProductionError?: ProductionExceptionHandler;
  /**
   * Replicas of the changelog and internal topics it creates; -1 (the default, as Kafka Streams
   * since 3.0) takes the broker's `default.replication.factor`.
   */
  readonly replicationFactor?: number;
  /** Topic configs for every internal topic it creates (Kafka Streams' `topic.` prefix); a store's `withLoggingEnabled(config)` wins. */
  readonly topicConfig?: Readonly<{ [name: string]: string }>;
  /** Close gracefully on SIGTERM/SIGINT, then let the signal end the process (default true). */
  readonly closeOnSignals?: boolean;
  /** kafkajs log level name; default 'error'. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** `brokerConnection()` turns 'disconnected' once the cluster has not answered for longer than this (default 3000 ms). */
  readonly brokerUnreachableAfterMs?: number;
  /**
   * How often records of repartition topics below the committed offsets are deleted
   * (DeleteRecords), as Kafka Streams' `repartition.purge.interval.ms` (default 30 000 ms).
   */
  readonly repartitionPurgeIntervalMs?: number;
  /**
   * Stream threads of this instance (Kafka Streams' `num.stream.threads`, default 1): each is a
   * worker thread and a member of the group. More than one needs `ThreadedStreams.fromModule`.
   */
  readonly numStreamThreads?: number;
  /** What a thread's fatal error does: 'shutdown-client' (the default: the instance goes to ERROR) or 'replace-thread'. */
  readonly streamThreadFailure?: 'shutdown-client' | 'replace-thread';
}

export interface ResolvedConfig extends Required<Omit<StreamsConfig, 'applicationServer' | 'onDeserializationError' | 'onProcessingError' | 'onProductionError'>> {
  readonly applicationServer: string | undefined;
  readonly onDeserializationError: ExceptionHandler | undefined;
  readonly onProcessingError: ExceptionHandler | undefined;
  readonly onProductionError: ProductionExceptionHandler | undefined;
}

/** A configuration that cannot work; the message says which setting and how to fix it. */
export class StreamsConfigError extends Error {
  override readonly name = 'StreamsConfigError';
}

export function resolveConfig(config: StreamsConfig): ResolvedConfig {
  if (!config.applicationId || !/^[A-Za-z0-9._-]+$/.test(config.applicationId)) {
    throw new StreamsConfigError(`applicationId must be non-empty and use only letters, digits, '.', '_' and '-': got "${config.applicationId}"`);
  }
  if (!config.brokers?.length) throw new StreamsConfigError('brokers must list at least one "host:port"');
  if (config.applicationServer !== undefined && !/^[^:]+:\d+$/.test(config.applicationServer)) {
    throw new StreamsConfigError(`applicationServer must be "host:port": got "${config.applicationServer}"`);
  }
  const replicationFactor = config.replicationFactor ?? -1;
  if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
    throw new StreamsConfigError(`replicationFactor must be a positive integer, or -1 for the broker's default.replication.factor: got ${replicationFactor}`);
  }
  const processingGuarantee = config.processingGuarantee ?? 'at_least_once';
  if (processingGuarantee !== 'at_least_once' && processingGuarantee !== 'exactly_once_v2') {
    throw new StreamsConfigError(`processingGuarantee must be 'at_least_once' or 'exactly_once_v2': got "${String(processingGuarantee)}"`);
  }
  const maxRecordsPerCommit = config.maxRecordsPerCommit ?? 1000;
  if (!Number.isInteger(maxRecordsPerCommit) || maxRecordsPerCommit < 1) {
    throw new StreamsConfigError(`maxRecordsPerCommit must be a positive integer: got ${config.maxRecordsPerCommit}`);
  }
  const numStreamThreads = config.numStreamThreads ?? 1;
  if (!Number.isInteger(numStreamThreads) || numStreamThreads < 1) {
    throw new StreamsConfigError(`numStreamThreads must be a positive integer: got ${config.numStreamThreads}`);
  }
  const streamThreadFailure = config.streamThreadFailure ?? 'shutdown-client';
  if (streamThreadFailure !== 'shutdown-client' && streamThreadFailure !== 'replace-thread') {
    throw new StreamsConfigError(`streamThreadFailure must be 'shutdown-client' or 'replace-thread': got ${String(streamThreadFailure)}`);
  }
  return {
    applicationId: config.applicationId,
    brokers: config.brokers,
    stateDir: config.stateDir ?? join(tmpdir(), 'modelstream'),
    applicationServer: config.applicationServer,
    processingGuarantee,
    transactionTimeoutMs: positive('transactionTimeoutMs', config.transactionTimeoutMs, 10_000),
    // 100 ms under either guarantee (Kafka Streams' default under exactly-once; its 30 s for at-least-once would delay outputs here).
    commitIntervalMs: config.commitIntervalMs ?? 100,
    maxRecordsPerCommit,
    clientId: config.clientId ?? `${config.applicationId}-${process.pid}`,
    concurrency: config.concurrency ?? 4,
    sessionTimeoutMs: config.sessionTimeoutMs ?? 10_000,
    fetchMaxWaitMs: positive('fetchMaxWaitMs', config.fetchMaxWaitMs, 5000),
    onDeserializationError: config.onDeserializationError,
    onProcessingError: config.onProcessingError,
    onProductionError: config.onProductionError,
    replicationFactor,
    topicConfig: config.topicConfig ?? {},
    closeOnSignals: config.closeOnSignals ?? true,
    logLevel: config.logLevel ?? 'error',
    brokerUnreachableAfterMs: positive('brokerUnreachableAfterMs', config.brokerUnreachableAfterMs, 3000),
    repartitionPurgeIntervalMs: positive('repartitionPurgeIntervalMs', config.repartitionPurgeIntervalMs, 30_000),
    numStreamThreads, streamThreadFailure,
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new StreamsConfigError(`${name} must be a positive number of ms: got ${value}`);
  return value;
}
