import type { Producer, Message, Transaction } from 'kafkajs';
import type { Headers } from '../streams/api/record.ts';
import type { RecordMetadata } from '../streams/api/processor.ts';
import { StreamsError } from '../streams/api/errors.ts';
import { logAndSkipProduction, type ProductionExceptionHandler } from '../streams/api/handlers.ts';
import type { ProducedRecord, RecordCollector } from '../streams/internal/record-collector.ts';
import { POSITION_HEADER } from '../streams/internal/positions.ts';
import { PENDING_HEADER } from './changelog-replay.ts';
import { ProductionError, refusalReason } from './produce-errors.ts';
import { singleRecordBatchSize, splitBySize } from './record-size.ts';
import type { TopicLimits } from './topic-limits.ts';
import { partitionOfKey } from './murmur2.ts';

/** Messages per produce request at most (see `flush`). */
const CHUNK = 1000;

/** Sends again of partitions a produce call left unanswered before the commit fails (see `#send`). */
const MAX_RESENDS = 5;

/** What a flush sends through: the shared producer, or a task's open transaction (exactly-once). */
export type RecordSender = Pick<Producer | Transaction, 'sendBatch'>;

/** The last offset written per topic-partition by one flush. */
export type WrittenOffsets = Map<string, number>;

/** Records the production handler dropped, by reason; shared by the collectors of a runtime. */
export type DroppedRecords = Map<string, number>;

export interface CollectorOptions {
  readonly producer: Producer;
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** Topics whose records are sent last, confirmed by the position header (see `flush`). */
  readonly changelogTopics: ReadonlySet<string>;
  readonly limits: TopicLimits;
  readonly taskId: string;
  /** The input record being processed when a record is sent, if any. */
  readonly origin: () => RecordMetadata | undefined;
  readonly onProductionError?: ProductionExceptionHandler | undefined;
  readonly dropped: DroppedRecords;
}

const NO_ENTRY_HEADERS: Entry['headers'] = Object.freeze([]);

/** A buffered output record, with the input record that produced it. */
interface Entry {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: readonly { readonly key: string; readonly value: Buffer }[];
  readonly origin: RecordMetadata | undefined;
}

/** An entry as one request sends it; `pending` changelog records wait for a later confirmed one. */
interface Outgoing {
  readonly entry: Entry;
  readonly pending: boolean;
}

/** Buffers a task's output and sends it as acknowledged batches at commit time. */
export class KafkaRecordCollector implements RecordCollector {
  #pending: Entry[] = [];
  /** Per changelog topic, the last record that landed in this flush. */
  #lastLanded = new Map<string, Outgoing>();
  #stateAhead = false;
  readonly #roundRobin = new Map<string, number>();
  /** `topic:partition` strings, made once per partition instead of twice per record sent. */
  readonly #keys = new Map<string, string[]>();

  constructor(private readonly options: CollectorOptions) {}

  get pendingCount(): number { return this.#pending.length; }

  /**
   * True once the handler dropped a changelog record: the local store holds a change its
   * changelog lacks, so the task must rebuild its state from the changelog.
   */
  get stateAhead(): boolean { return this.#stateAhead; }

  send(record: ProducedRecord): void {
    this.#pending.push({
      topic: record.topic,
      partition: record.partition ?? this.#partitionOf(record.topic, record.key),
      key: record.key === null ? null : Buffer.from(record.key.buffer, record.key.byteOffset, record.key.byteLength),
      value: record.value === null ? null : Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
      timestamp: record.timestamp,
      headers: record.headers.length === 0 ? NO_ENTRY_HEADERS : record.headers.map((h) => ({ key: h.key, value: h.value === null ? Buffer.alloc(0) : Buffer.from(h.value) })),
      // A changelog record is logged at commit, one per changed key: no single input made it.
      origin: this.options.changelogTopics.has(record.topic) ? undefined : this.options.origin(),
    });
  }

  /**
   * The partition kafkajs's default partitioner would pick (murmur2 of the key; round robin for
   * no key), chosen here so that `#send` knows every partition a request must be answered for.
   */
  #partitionOf(topic: string, key: Uint8Array | null): number | undefined {
    const count = this.options.partitionCounts.get(topic);
    if (!count) return undefined;
    if (key !== null) return partitionOfKey(key, count);
    const n = this.#roundRobin.get(topic) ?? 0;
    this.#roundRobin.set(topic, n + 1);
    return n % count;
  }

  partitionsFor(topic: string): number | undefined {
    return this.options.partitionCounts.get(topic);
  }

  /**
   * Sends everything buffered with acks=all and resolves with the last offset written per
   * `topic:partition`. A record over its topic's `max.message.bytes` goes to the production
   * handler unsent. Sinks go first, then changelogs, each topic in pieces under its limit and
   * CHUNK messages (kafkajs groups a request per partition in O(n²)), one request after another
   * so each partition stays in order. A commit's changelog must land whole or not at all (its
   * position header claims the whole batch), so when it takes several requests all but the last
   * carry PENDING_HEADER instead: a restore applies them only once a confirmed record follows.
   * Under exactly-once `via` is the task's transaction, which makes the commit whole by itself.
   */
  async flush(via: RecordSender = this.options.producer): Promise<WrittenOffsets> {
    const written: WrittenOffsets = new Map();
    if (this.#pending.length === 0) return written;
    const all = this.#pending;
    this.#pending = [];
    this.#lastLanded = new Map();
    const { limits, changelogTopics } = this.options;
    await limits.load(all.map((e) => e.topic));
    const fits: Entry[] = [];
    for (const e of all) {
      const size = singleRecordBatchSize(e);
      const limit = limits.limit(e.topic);
      if (size <= limit) fits.push(e);
      else this.#refuse(e, new ProductionError(`The record is ${size} bytes as a batch, over max.message.bytes (${limit}) of topic ${e.topic}`, 'MESSAGE_TOO_LARGE'));
    }
    const sinks = this.#pieces(fits.filter((e) => !changelogTopics.has(e.topic)));
    for (const request of zip(sinks)) await this.#send(via, request.map((entry) => ({ entry, pending: false })), written);
    const changelogs = this.#pieces(fits.filter((e) => changelogTopics.has(e.topic)));
    for (const request of zip(changelogs.map((p) => p.slice(0, -1)))) await this.#send(via, request.map((entry) => ({ entry, pending: true })), written);
    const last = changelogs.flatMap((p) => p[p.length - 1] ?? []);
    if (last.length) await this.#send(via, last.map((entry) => ({ entry, pending: false })), written);
    // The confirming records were dropped: confirm with the last one that landed, sent again.
    for (const landed of [...this.#lastLanded.values()]) {
      if (landed.pending) await this.#send(via, [{ entry: landed.entry, pending: false }], written);
    }
    return written;
  }

  /** Drops what was not sent (a dirty close). */
  discard(): void {
    this.#pending = [];
  }

  /** Per topic, in order, the pieces that fit a request. */
  #pieces(entries: readonly Entry[]): Entry[][][] {
    const byTopic = new Map<string, Entry[]>();
    for (const e of entries) {
      let list = byTopic.get(e.topic);
      if (!list) byTopic.set(e.topic, (list = []));
      list.push(e);
    }
    // Bounded per topic, not per partition (a keyed record's partition is kafkajs's choice): never over.
    return [...byTopic].map(([topic, list]) => splitBySize(list, this.options.limits.limit(topic), CHUNK));
  }

  /**
   * Sends one request. When the broker refuses a record of it for itself, the request is sent
   * again in halves until the culprit is alone, then handled; what landed before is sent again
   * (at-least-once). In a changelog's confirming request the first half is sent pending.
   */
  async #send(via: RecordSender, out: readonly Outgoing[], written: WrittenOffsets, resends = 0): Promise<void> {
    if (out.length === 0) return;
    let results;
    try {
      results = await via.sendBatch({ topicMessages: topicMessages(out), acks: -1 });
    } catch (err) {
      const reason = refusalReason(err);
      if (reason === undefined) throw err;
      if (out.length === 1) {
        const { entry } = out[0]!;
        this.#refuse(entry, new ProductionError(`The broker refused a record for ${entry.topic}: ${reason}`, reason, { cause: err }));
        return;
      }
      const mid = Math.ceil(out.length / 2);
      const changelog = (o: Outgoing) => this.options.changelogTopics.has(o.entry.topic);
      await this.#send(via, out.slice(0, mid).map((o) => (changelog(o) ? { entry: o.entry, pending: true } : o)), written);
      await this.#send(via, out.slice(mid), written);
      return;
    }
    // kafkajs 2.2.4 can resolve a send without writing some partitions: when a partition's leader
    // moves to a broker that already answered, its retry skips that broker (kafkajs issue #1303).
    // Every record has a known partition, so a partition missing from the answers is sent again.
    const answered = new Set(results.map((r) => this.#key(r.topicName, r.partition)));
    const unanswered = out.filter((o) => o.entry.partition !== undefined && !answered.has(this.#key(o.entry.topic, o.entry.partition)));
    const counts = new Map<string, number>();
    for (const o of out) {
      const { topic, partition } = o.entry;
      if (partition !== undefined) {
        const k = this.#key(topic, partition);
        if (!answered.has(k)) continue;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      if (this.options.changelogTopics.has(topic)) this.#lastLanded.set(topic, o);
    }
    for (const r of results) {
      const k = this.#key(r.topicName, r.partition);
      const n = counts.get(k);
      if (n !== undefined && r.baseOffset !== undefined) written.set(k, Number(r.baseOffset) + n - 1);
    }
    if (unanswered.length === 0) return;
    if (resends >= MAX_RESENDS) {
      const where = [...new Set(unanswered.map((o) => `${o.entry.topic}-${o.entry.partition}`))].join(', ');
      throw new StreamsError(`Task ${this.options.taskId}: the producer left ${where} unwritten ${resends + 1} times`);
    }
    await this.#send(via, unanswered, written, resends + 1);
  }

  #key(topic: string, partition: number): string {
    let keys = this.#keys.get(topic);
    if (!keys) this.#keys.set(topic, (keys = []));
    return (keys[partition] ??= `${topic}:${partition}`);
  }

  #refuse(entry: Entry, error: ProductionError): void {
    const { taskId, onProductionError, changelogTopics, dropped } = this.options;
    const changelog = changelogTopics.has(entry.topic);
    const site = {
      taskId, topic: entry.origin?.topic ?? '(none)', partition: entry.origin?.partition ?? -1, offset: entry.origin?.offset ?? -1,
      outputTopic: entry.topic, outputPartition: entry.partition ?? -1, reason: error.reason, changelog,
    };
    let answer;
    try {
      answer = (onProductionError ?? logAndSkipProduction)(error, site);
    } catch (err) {
      throw new StreamsError(`The production error handler of task ${taskId} threw: ${String(err)}`, { cause: err });
    }
    if (answer === 'fail') {
      throw new StreamsError(`Task ${taskId} stopped: a record for ${entry.topic} was refused (${error.reason}): ${error.message}`, { cause: error });
    }
    dropped.set(error.reason, (dropped.get(error.reason) ?? 0) + 1);
    if (changelog) this.#stateAhead = true;
  }
}

/** The k-th request holds the k-th piece of every topic. */
function zip(pieces: readonly Entry[][][]): Entry[][] {
  const n = Math.max(0, ...pieces.map((p) => p.length));
  return Array.from({ length: n }, (_, k) => pieces.flatMap((p) => p[k] ?? []));
}

function topicMessages(out: readonly Outgoing[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { entry, pending } of out) {
    const message: Message = { key: entry.key, value: entry.value, timestamp: String(entry.timestamp), headers: toKafkaHeaders(entry.headers, pending) };
    if (entry.partition !== undefined) message.partition = entry.partition;
    let list = byTopic.get(entry.topic);
    if (!list) byTopic.set(entry.topic, (list = []));
    list.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages: groupedOnce(messages) }));
}

/**
 * kafkajs 2.2.4 groups a topic's messages per partition with `messages.reduce`, copying the
 * partition's list at every message: O(n²) per partition, about 6% of a stream thread's CPU at
 * 1,000 records a request. Every message here names its partition (the partitioner returns it
 * as is), so this array answers that one `reduce` with the same grouping, in order, in O(n).
 */
export function groupedOnce(messages: Message[]): Message[] {
  if (messages.some((m) => m.partition === undefined)) return messages;
  const byPartition = () => {
    const out: { [partition: number]: Message[] } = {};
    for (const m of messages) (out[m.partition!] ??= []).push(m);
    return out;
  };
  Object.defineProperty(messages, 'reduce', { value: byPartition, enumerable: false });
  return messages;
}

function toKafkaHeaders(headers: Entry['headers'], pending: boolean): Message['headers'] {
  const kept = pending ? headers.filter((h) => h.key !== POSITION_HEADER) : headers;
  if (kept.length === 0 && !pending) return undefined;
  const out: { [key: string]: Buffer[] } = {};
  for (const h of kept) (out[h.key] ??= []).push(h.value);
  if (pending) out[PENDING_HEADER] = [Buffer.alloc(0)];
  return out;
}

/** Most records carry none: one shared (frozen) empty list instead of one per record. */
const NO_HEADERS: Headers = Object.freeze([]);

export function fromKafkaHeaders(headers: { [key: string]: Buffer | string | (Buffer | string)[] | undefined } | undefined): Headers {
  if (!headers) return NO_HEADERS;
  let any = false;
  for (const _ in headers) { any = true; break; }
  if (!any) return NO_HEADERS;
  const out: { key: string; value: Uint8Array | null }[] = [];
  for (const [key, v] of Object.entries(headers)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined) out.push({ key, value: typeof one === 'string' ? Buffer.from(one) : one });
    }
  }
  return out;
}
