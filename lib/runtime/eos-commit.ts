import kafkajs from 'kafkajs';
import type { Kafka, Producer, Transaction, logCreator } from 'kafkajs';
import { StreamsError } from '../streams/api/errors.ts';

const kafkajsLogLevel = kafkajs.logLevel;

/** What a commit sends inside its transaction: the collector's records, through `sender`. */
export type SendThrough<T> = (sender: Transaction) => Promise<T>;

/** The next offset to read of the source partition a transaction commits for. */
export interface SourceOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Another producer took this task's transactional id (a newer owner's InitProducerId bumped the
 * epoch, KIP-98): this instance is a zombie for the task and must not commit it again. Not a
 * StreamsError: the runtime closes the task dirty and rejoins the group (Kafka Streams'
 * TaskMigratedException).
 */
export class ProducerFencedError extends Error {
  override readonly name = 'ProducerFencedError';
}

/**
 * A transaction failed and was abandoned (aborted, or left for the next InitProducerId to
 * abort): none of its records or offsets are visible to read_committed readers, so the task's
 * stores must go back to the last committed state.
 */
export class TransactionAbortedError extends Error {
  override readonly name = 'TransactionAbortedError';
}

/** Broker errors that mean a newer epoch of the transactional id exists. */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
/** PRODUCER_FENCED (90, Kafka 2.7 on) is a code kafkajs 2.2.4 does not know: its message says "Unknown error code 90". */
const FENCED_UNKNOWN_CODE = /Unknown error code 90\b/;

/** Whether `err` (or anything in its cause chain, kafkajs nests them) says the producer was fenced. */
export function isFenced(err: unknown): boolean {
  return someError(err, (type, message) => (type !== undefined && FENCED_TYPES.has(type)) || FENCED_UNKNOWN_CODE.test(message));
}

function someError(err: unknown, test: (type: string | undefined, message: string) => boolean): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { type, message, cause, originalError, errors } = e as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    if (test(typeof type === 'string' ? type : undefined, typeof message === 'string' ? message : '')) return true;
    queue.push(cause, originalError, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}

export interface TaskTransactionsOptions {
  readonly kafka: Kafka;
  /** Stable per task, so that whoever owns the task next fences this producer. */
  readonly transactionalId: string;
  /** The consumer group whose offsets the transactions commit. */
  readonly groupId: string;
  readonly transactionTimeoutMs: number;
}

/**
 * The transactional producer of one task under exactly-once: a commit is one Kafka transaction
 * holding the task's sink records, its changelog records and its source offset (KIP-98), so a
 * read_committed reader sees all of a commit or none of it.
 *
 * One producer per task, not per instance as Kafka Streams' v2: v2 fences a zombie by the group
 * generation and member id in TxnOffsetCommit (KIP-447, version 3), and kafkajs 2.2.4 speaks
 * only versions 0 and 1, which carry neither. With an id per task, the next owner's
 * InitProducerId fences the previous one by epoch and aborts its open transaction.
 */
export class TaskTransactions {
  #producer: Producer | undefined;
  #fenced = false;

  constructor(private readonly options: TaskTransactionsOptions) {}

  /**
   * Connects and registers the transactional id (InitProducerId): any transaction an earlier
   * owner left open is aborted (or completed) before this returns, so the restore that follows
   * reads a changelog with no undecided tail.
   */
  async init(): Promise<void> {
    if (this.#producer) return;
    const producer = this.options.kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs,
      allowAutoTopicCreation: false,
      // Kafka answers CONCURRENT_TRANSACTIONS to the next transaction's first AddPartitionsToTxn
      // while it still writes the last one's markers: retried soon, as the Java producer does
      // (KAFKA-5477), not after the runtime's 200 ms (a transaction on Kafka 4.4: ~50 ms median
      // so, ~220 ms with 200). About 40 s of retries in all, then the commit fails.
      retry: { retries: 50, initialRetryTime: 10, multiplier: 1.3, maxRetryTime: 1000 },
    });
    await producer.connect();
    try {
      // kafkajs sends InitProducerId with the first transaction; one that sends nothing ends without EndTxn.
      const first = await producer.transaction();
      await first.abort();
    } catch (err) {
      await producer.disconnect().catch(() => {});
      if (isFenced(err)) throw new ProducerFencedError(`${this.options.transactionalId}: fenced while registering`, { cause: err });
      // The broker refuses transactions (an ACL, or no transaction support): no retry can help.
      if (someError(err, (type) => type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')) {
        throw new StreamsError(`exactly_once_v2: the broker refused transactional id ${this.options.transactionalId} (TRANSACTIONAL_ID_AUTHORIZATION_FAILED)`, { cause: err });
      }
      throw err;
    }
    this.#producer = producer;
  }

  /**
   * Runs one transaction: `send` produces the records, the source offset goes in with
   * sendOffsets (AddOffsetsToTxn + TxnOffsetCommit), then EndTxn commits. On any failure the
   * producer is dropped (kafkajs cannot begin again after a failed EndTxn); its open
   * transaction is aborted by the next InitProducerId of this id, or by the broker's timeout.
   */
  async commit<T>(send: SendThrough<T>, source: SourceOffset | undefined): Promise<T> {
    if (this.#fenced) throw new ProducerFencedError(`${this.options.transactionalId} was fenced: it commits nothing more`);
    await this.init();
    const producer = this.#producer!;
    let transaction: Transaction | undefined;
    try {
      transaction = await producer.transaction();
      const result = await send(transaction);
      if (source) {
        await transaction.sendOffsets({
          consumerGroupId: this.options.groupId,
          topics: [{ topic: source.topic, partitions: [{ partition: source.partition, offset: String(source.offset) }] }],
        });
      }
      await transaction.commit();
      return result;
    } catch (err) {
      this.#producer = undefined;
      if (isFenced(err)) {
        this.#fenced = true;
        await producer.disconnect().catch(() => {});
        throw new ProducerFencedError(`${this.options.transactionalId} was fenced: a newer owner of the task registered it, or the broker aborted a transaction older than transactionTimeoutMs`, { cause: err });
      }
      if (transaction?.isActive()) await transaction.abort().catch(() => {});
      await producer.disconnect().catch(() => {});
      // A fatal error of the task's own (a production handler answering 'fail') stays fatal.
      if (err instanceof StreamsError) throw err;
      throw new TransactionAbortedError(`${this.options.transactionalId}: the transaction failed and was abandoned: ${String(err)}`, { cause: err });
    }
  }

  get fenced(): boolean { return this.#fenced; }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await producer?.disconnect();
  }
}

/**
 * Tasks whose producer was fenced, until the next assignment: a zombie's consumer goes on
 * fetching its old partitions until it learns of the rebalance, and opening such a task again
 * would register its transactional id once more and fence the rightful owner in turn. A zombie's
 * next heartbeat fails (its generation is gone) and it rejoins. If heartbeats go on succeeding,
 * this member does own the task in the current generation (the broker aborted a transaction that
 * outlived its timeout, which also bumps the epoch): the task is opened again after `quietMs`.
 */
export class FencedTasks {
  readonly #since = new Map<string, number>();

  constructor(private readonly quietMs: number) {}

  add(id: string, err: ProducerFencedError, log: (message: string) => void): void {
    this.#since.set(id, Date.now());
    log(`task ${id}: ${err.message}; closed, not opened again before the next rebalance or ${this.quietMs} ms of heartbeats`);
  }

  has(id: string): boolean { return this.#since.has(id); }

  clear(): void { this.#since.clear(); }

  /** Instead of a fenced task's batch (kafkajs fetches it again): heartbeat, which throws, and so rejoins, once the group rebalances. */
  async idle(id: string, heartbeat: () => Promise<void>): Promise<void> {
    await heartbeat();
    await new Promise((r) => setTimeout(r, 200));
    if (Date.now() - (this.#since.get(id) ?? 0) >= this.quietMs) this.#since.delete(id);
  }
}

/** The transactional id of a task: stable across restarts and instances, unique per application. */
export function taskTransactionalId(applicationId: string, taskId: string): string {
  return `${applicationId}-${taskId}`;
}

/**
 * kafkajs's console logger (JSON lines), less the error it logs for every CONCURRENT_TRANSACTIONS
 * answer: under exactly-once Kafka gives one to most transactions' first AddPartitionsToTxn (the
 * previous one's markers are still being written), and kafkajs retries it; it is no fault.
 */
export const transactionAwareLogCreator: logCreator = () => ({ namespace, level, label, log }) => {
  if (`${String(log.message)} ${String(log.error)}`.includes('another concurrent operation on the same transaction')) return;
  const line = JSON.stringify({ level: label, ...log, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` });
  if (level === kafkajsLogLevel.ERROR) console.error(line);
  else if (level === kafkajsLogLevel.WARN) console.warn(line);
  else if (level === kafkajsLogLevel.INFO) console.info(line);
  else console.log(line);
};
