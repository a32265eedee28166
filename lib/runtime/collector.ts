import type { Producer, Message } from 'kafkajs';
import type { Headers } from '../streams/api/record.ts';
import type { ProducedRecord, RecordCollector } from '../streams/internal/record-collector.ts';

/** Messages per produce request (see `flush`). */
const CHUNK = 1000;

/** The last offset written per topic-partition by one flush. */
export type WrittenOffsets = Map<string, number>;

/** Buffers a task's output and sends it as one acknowledged batch at commit time. */
export class KafkaRecordCollector implements RecordCollector {
  #pending = new Map<string, Message[]>();
  #count = 0;

  constructor(
    private readonly producer: Producer,
    private readonly partitionCounts: ReadonlyMap<string, number>,
    /** Topics whose records are sent last, in one request. */
    private readonly changelogTopics: ReadonlySet<string> = new Set(),
  ) {}

  get pendingCount(): number { return this.#count; }

  send(record: ProducedRecord): void {
    const message: Message = {
      key: record.key === null ? null : Buffer.from(record.key.buffer, record.key.byteOffset, record.key.byteLength),
      value: record.value === null ? null : Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
      timestamp: String(record.timestamp),
      headers: toKafkaHeaders(record.headers),
    };
    if (record.partition !== undefined) message.partition = record.partition;
    let list = this.#pending.get(record.topic);
    if (!list) this.#pending.set(record.topic, (list = []));
    list.push(message);
    this.#count++;
  }

  partitionsFor(topic: string): number | undefined {
    return this.partitionCounts.get(topic);
  }

  /**
   * Sends everything buffered with acks=all and resolves with the last offset written per
   * `topic:partition`. Sink records go first, in requests of at most CHUNK messages sent one
   * after another (so each partition stays in order): kafkajs groups a request's messages per
   * partition in O(n²) (groupMessagesPerPartition spreads an array per message). Changelog
   * records go last, in ONE request, so a commit's changelog lands whole or not at all: the
   * position header they carry claims the whole batch (see StreamTask.skipApplied).
   */
  async flush(): Promise<WrittenOffsets> {
    const written: WrittenOffsets = new Map();
    if (this.#count === 0) return written;
    const all = [...this.#pending].flatMap(([topic, messages]) => messages.map((m) => [topic, m] as const));
    this.#pending = new Map();
    this.#count = 0;
    const sinks = all.filter(([topic]) => !this.changelogTopics.has(topic));
    const changelogs = all.filter(([topic]) => this.changelogTopics.has(topic));
    for (let i = 0; i < sinks.length; i += CHUNK) await this.#send(sinks.slice(i, i + CHUNK), written);
    if (changelogs.length) await this.#send(changelogs, written);
    return written;
  }

  async #send(messages: readonly (readonly [string, Message])[], written: WrittenOffsets): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    const counts = new Map<string, number>();
    for (const [topic, m] of messages) {
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(m);
      if (m.partition !== undefined) counts.set(`${topic}:${m.partition}`, (counts.get(`${topic}:${m.partition}`) ?? 0) + 1);
    }
    const results = await this.producer.sendBatch({ topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })), acks: -1 });
    for (const r of results) {
      const k = `${r.topicName}:${r.partition}`;
      const n = counts.get(k);
      if (n !== undefined && r.baseOffset !== undefined) written.set(k, Number(r.baseOffset) + n - 1);
    }
  }

  /** Drops what was not sent (a dirty close). */
  discard(): void {
    this.#pending = new Map();
    this.#count = 0;
  }
}

function toKafkaHeaders(headers: Headers): Message['headers'] {
  if (headers.length === 0) return undefined;
  const out: { [key: string]: Buffer[] } = {};
  for (const h of headers) (out[h.key] ??= []).push(h.value === null ? Buffer.alloc(0) : Buffer.from(h.value));
  return out;
}

export function fromKafkaHeaders(headers: { [key: string]: Buffer | string | (Buffer | string)[] | undefined } | undefined): Headers {
  if (!headers) return [];
  const out: { key: string; value: Uint8Array | null }[] = [];
  for (const [key, v] of Object.entries(headers)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined) out.push({ key, value: typeof one === 'string' ? Buffer.from(one) : one });
    }
  }
  return out;
}
