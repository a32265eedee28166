// What a handler can reach of the broker: its identity on the network, its config, the
// topics and their logs, and per-broker services that other modules (the group
// coordinator) create lazily and the broker closes on stop.
import type { TopicStore } from './storage/topic-store.ts';

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  /** The bound port (the real one when the broker was started with port 0). */
  readonly port: number;
  readonly rack: string | null;
}

export interface BrokerConfig {
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** Largest request frame accepted; a bigger one closes the connection. */
  readonly maxFrameBytes: number;
  /** message.max.bytes: the default max.message.bytes of topics that do not set their own. */
  readonly maxMessageBytes: number;
  /** Where logs (and services' own files) persist; undefined = memory only. */
  readonly dataDir: string | undefined;
  readonly compactionIntervalMs: number;
  /** delete.retention.ms default: how long tombstones survive compaction. */
  readonly tombstoneRetentionMs: number;
  /** transaction.max.timeout.ms: the longest transaction timeout InitProducerId accepts. */
  readonly transactionMaxTimeoutMs: number;
  /** How often expired transactions are looked for and aborted. */
  readonly transactionCheckIntervalMs: number;
  /** KIP-848 consumer groups: the heartbeat interval told to members and their session timeout. */
  readonly consumerGroupHeartbeatIntervalMs: number;
  readonly consumerGroupSessionTimeoutMs: number;
}

export type BrokerLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, extra?: object) => void;

/** A per-broker service may have `close`, which runs when the broker stops. */
export interface BrokerService {
  close?(): void | Promise<void>;
}

export class BrokerState {
  readonly clusterId = 'modelstream-embedded';
  private readonly services = new Map<string | symbol, object>();

  constructor(
    readonly node: BrokerNode,
    readonly config: BrokerConfig,
    readonly topics: TopicStore,
    readonly log: BrokerLog,
  ) {}

  /** The broker's single instance of a service, created on first use. */
  service<T extends object>(key: string | symbol, create: (broker: BrokerState) => T): T {
    let s = this.services.get(key);
    if (!s) {
      s = create(this);
      this.services.set(key, s);
    }
    return s as T;
  }

  async closeServices(): Promise<void> {
    for (const s of this.services.values()) await (s as BrokerService).close?.();
    this.services.clear();
  }
}
