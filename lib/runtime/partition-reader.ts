import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import type { Headers } from '../streams/api/record.ts';
import { fromKafkaHeaders } from './collector.ts';

const { AssignerProtocol } = kafkajs;

export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  /** First offset to read. */
  readonly from: number;
  /** Read until this offset (exclusive; the high watermark when reading started). */
  readonly to: number;
}

export interface ReadRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

export interface ReaderOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Prefix of the throwaway group id this reader joins alone. */
  readonly groupPrefix: string;
  readonly ranges: readonly PartitionRange[];
  readonly onRecords: (topic: string, partition: number, records: readonly ReadRecord[]) => void | Promise<void>;
  /** Keep reading after every range reached its end (global stores); default false. */
  readonly follow?: boolean;
}

/**
 * Reads given partitions from given offsets without taking part in the application's group.
 * kafkajs has no manual assignment, so the reader joins a throwaway group of its own whose
 * assignor hands it exactly these partitions, then seeks each to its start.
 */
export class PartitionReader {
  readonly #consumer: Consumer;
  readonly #groupId: string;
  readonly #remaining = new Map<string, number>();
  readonly #from = new Map<string, number>();
  #caughtUp!: () => void;
  readonly caughtUp: Promise<void> = new Promise((resolve) => { this.#caughtUp = resolve; });
  #records = 0;

  constructor(private readonly options: ReaderOptions) {
    this.#groupId = `${options.groupPrefix}-${randomUUID()}`;
    const wanted: { [topic: string]: number[] } = {};
    for (const r of options.ranges) {
      (wanted[r.topic] ??= []).push(r.partition);
      this.#from.set(`${r.topic}:${r.partition}`, r.from);
      if (r.from < r.to) this.#remaining.set(`${r.topic}:${r.partition}`, r.to);
    }
    this.#consumer = options.kafka.consumer({
      groupId: this.#groupId,
      partitionAssigners: [manualAssigner(wanted)],
      sessionTimeout: 30_000,
      rebalanceTimeout: 30_000,
      // Short long-polls: stop() waits for the fetch in flight, and a caught-up reader has nothing to wait for.
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: 4 * 1024 * 1024,
      allowAutoTopicCreation: false,
      // A restore sees committed transactions only (kafkajs's default, stated).
      readUncommitted: false,
    });
  }

  get recordsRead(): number { return this.#records; }

  async start(): Promise<void> {
    const topics = [...new Set(this.options.ranges.map((r) => r.topic))];
    if (this.#remaining.size === 0) this.#caughtUp();
    if (this.#remaining.size === 0 && !this.options.follow) return;
    // The end is seen here, not in eachBatch: a batch of only transaction markers or aborted
    // records (read_committed) never reaches eachBatch, and a changelog written in
    // transactions ends with a commit marker.
    this.#consumer.on(this.#consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      const end = this.#remaining.get(key);
      if (end !== undefined && Number(payload.lastOffset) + 1 >= end) {
        this.#remaining.delete(key);
        if (this.#remaining.size === 0) this.#caughtUp();
      }
    });
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}:${batch.partition}`;
        // Records before the range's start can arrive before the seek lands: they are not ours.
        const from = this.#from.get(key) ?? 0;
        const records: ReadRecord[] = [];
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset < from) continue;
          records.push({ offset, key: m.key ?? null, value: m.value ?? null, timestamp: Number(m.timestamp), headers: fromKafkaHeaders(m.headers) });
        }
        this.#records += records.length;
        if (records.length) await this.options.onRecords(batch.topic, batch.partition, records);
      },
    });
    // Not admin.setOffsets(): it runs a consumer of its own and waits out a full fetch long-poll.
    for (const r of this.options.ranges) this.#consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.from) });
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.options.admin.deleteGroups([this.#groupId]).catch(() => {});
  }
}

/** Reads `ranges` once, from `from` to `to`, and stops. Resolves with the number of records read. */
export async function readOnce(options: Omit<ReaderOptions, 'follow'>): Promise<number> {
  const reader = new PartitionReader(options);
  try {
    await reader.start();
    await reader.caughtUp;
  } finally {
    await reader.stop();
  }
  return reader.recordsRead;
}

/** Where a partition can be read from and up to: its low and high watermarks. */
export async function watermarks(admin: Admin, topic: string): Promise<Map<number, { low: number; high: number }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
}

function manualAssigner(wanted: { [topic: string]: number[] }): PartitionAssigner {
  return () => ({
    name: 'modelstream-manual',
    version: 0,
    protocol: ({ topics }) => ({ name: 'modelstream-manual', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }),
    assign: async ({ members }) => members.map((m, i) => ({
      memberId: m.memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: i === 0 ? wanted : {}, userData: Buffer.alloc(0) }),
    })),
  });
}
