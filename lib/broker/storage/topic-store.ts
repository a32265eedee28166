// Topics and their partition logs, in memory, optionally persisted under dataDir:
//   <dataDir>/logs/<topic>/topic.json        partitions and configs
//   <dataDir>/logs/<topic>/<partition>.log   the stored batches, back to back
//   <dataDir>/logs/<topic>/<partition>.start the log start offset, once DeleteRecords moved it
// Batches are self-delimiting (batchLength), so a log file is read back by walking it; a
// torn last batch (crash mid-write) is cut off on load.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_BYTES, readBatchHeader } from '../protocol/records.ts';
import { PartitionLog, type StoredBatch } from './partition-log.ts';

export interface Topic {
  readonly name: string;
  readonly id: string;
  readonly configs: Map<string, string>;
  readonly partitions: PartitionLog[];
}

export type CreateTopicResult =
  | { readonly kind: 'created'; readonly topic: Topic }
  | { readonly kind: 'exists' }
  | { readonly kind: 'invalid-name'; readonly message: string }
  | { readonly kind: 'invalid-partitions'; readonly message: string };

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function topicNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return `topic name '${name}' must be 1–249 characters of [a-zA-Z0-9._-]`;
  if (name === '.' || name === '..') return `topic name '${name}' is reserved`;
  return undefined;
}

export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly fds = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly dataDir?: string) {
    if (dataDir) this.load();
  }

  get(name: string): Topic | undefined { return this.topics.get(name); }
  /** The topic with this id (requests naming topics by id: Fetch v13+, Metadata v12). */
  getById(id: string): Topic | undefined {
    for (const t of this.topics.values()) if (t.id === id) return t;
    return undefined;
  }
  list(): Topic[] { return [...this.topics.values()]; }

  create(name: string, partitions: number, configs: ReadonlyMap<string, string> = new Map()): CreateTopicResult {
    const problem = topicNameProblem(name);
    if (problem) return { kind: 'invalid-name', message: problem };
    if (this.topics.has(name)) return { kind: 'exists' };
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 10_000) {
      return { kind: 'invalid-partitions', message: `partitions must be 1–10000, got ${partitions}` };
    }
    const topic: Topic = { name, id: randomUuid(), configs: new Map(configs), partitions: [] };
    this.topics.set(name, topic);
    this.saveMeta(topic);
    this.grow(topic, partitions);
    return { kind: 'created', topic };
  }

  /** CreatePartitions: adds partitions up to `total`. */
  grow(topic: Topic, total: number): void {
    for (let p = topic.partitions.length; p < total; p++) topic.partitions.push(this.newLog(topic.name, p));
    this.saveMeta(topic);
  }

  /** AlterConfigs: replaces a topic's whole config set (non-incremental, as Kafka's v0–v1). */
  setConfigs(topic: Topic, configs: ReadonlyMap<string, string>): void {
    topic.configs.clear();
    for (const [k, v] of configs) topic.configs.set(k, v);
    this.saveMeta(topic);
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    for (let p = 0; p < topic.partitions.length; p++) this.closeFd(`${name}/${p}`);
    if (this.dataDir) rmSync(join(this.dataDir, 'logs', name), { recursive: true, force: true });
    this.notify();
    return true;
  }

  /** Runs `fn` after the next append anywhere (long-polling fetches); returns an unsubscribe. */
  onAppend(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  notify(): void {
    for (const fn of [...this.waiters]) fn();
  }

  /** Swaps a partition's batches for a compacted copy, rewriting its file if persisted. */
  replaceBatches(log: PartitionLog, batches: StoredBatch[]): void {
    log.replace(batches);
    if (!this.dataDir) return;
    const key = `${log.topic}/${log.partition}`;
    const file = this.logFile(log.topic, log.partition);
    writeFileSync(`${file}.tmp`, Buffer.concat(batches.map((b) => b.bytes)));
    this.closeFd(key);
    renameSync(`${file}.tmp`, file);
  }

  /** DeleteRecords: moves a partition's log start offset forward and drops whole batches below it. */
  deleteRecordsBefore(log: PartitionLog, offset: number): void {
    const kept = log.truncateBefore(offset);
    this.replaceBatches(log, kept);
    if (this.dataDir) {
      const file = `${this.logFile(log.topic, log.partition).slice(0, -'.log'.length)}.start`;
      writeFileSync(`${file}.tmp`, String(log.logStartOffset));
      renameSync(`${file}.tmp`, file);
    }
  }

  close(): void {
    for (const key of [...this.fds.keys()]) this.closeFd(key);
  }

  private newLog(topic: string, partition: number): PartitionLog {
    if (!this.dataDir) return new PartitionLog(topic, partition);
    const key = `${topic}/${partition}`;
    return new PartitionLog(topic, partition, (bytes) => {
      let fd = this.fds.get(key);
      if (fd === undefined) {
        fd = openSync(this.logFile(topic, partition), 'a');
        this.fds.set(key, fd);
      }
      writeSync(fd, bytes);
    });
  }

  private closeFd(key: string): void {
    const fd = this.fds.get(key);
    if (fd !== undefined) closeSync(fd);
    this.fds.delete(key);
  }

  private logFile(topic: string, partition: number): string {
    return join(this.dataDir!, 'logs', topic, `${partition}.log`);
  }

  private saveMeta(topic: Topic): void {
    if (!this.dataDir) return;
    const dir = join(this.dataDir, 'logs', topic.name);
    mkdirSync(dir, { recursive: true });
    const meta = { id: topic.id, partitions: Math.max(topic.partitions.length, 1), configs: Object.fromEntries(topic.configs) };
    writeFileSync(join(dir, 'topic.json.tmp'), JSON.stringify(meta));
    renameSync(join(dir, 'topic.json.tmp'), join(dir, 'topic.json'));
  }

  private load(): void {
    const root = join(this.dataDir!, 'logs');
    if (!existsSync(root)) return;
    for (const name of readdirSync(root)) {
      const metaFile = join(root, name, 'topic.json');
      if (!existsSync(metaFile)) continue;
      const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { id: string; partitions: number; configs: Record<string, string> };
      const topic: Topic = { name, id: meta.id, configs: new Map(Object.entries(meta.configs)), partitions: [] };
      for (let p = 0; p < meta.partitions; p++) {
        const log = this.newLog(name, p);
        this.readLogFile(log);
        topic.partitions.push(log);
      }
      this.topics.set(name, topic);
    }
  }

  private readLogFile(log: PartitionLog): void {
    const file = this.logFile(log.topic, log.partition);
    const startFile = `${file.slice(0, -'.log'.length)}.start`;
    if (existsSync(startFile)) log.truncateBefore(Number(readFileSync(startFile, 'utf8')));
    if (!existsSync(file)) return;
    const data = readFileSync(file);
    let at = 0;
    while (data.length - at >= BATCH_HEADER_BYTES) {
      const header = readBatchHeader(data, at);
      if (at + header.size > data.length) break;
      log.restore(data.subarray(at, at + header.size), header);
      at += header.size;
    }
    if (at < data.length) writeFileSync(file, data.subarray(0, at)); // drop a torn tail
    log.truncateBefore(log.logStartOffset); // the end offset is at least the start offset
  }
}

function randomUuid(): string {
  return crypto.randomUUID();
}
