// Where committed offsets persist. The coordinator keeps the live table in memory and hands
// every change to a store: a no-op one by default, a file-backed append log under the
// broker's data dir so a restart keeps what consumers committed.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';

export type OffsetRecord =
  | {
      readonly kind: 'commit';
      readonly groupId: string;
      readonly topic: string;
      readonly partition: number;
      readonly offset: number;
      readonly leaderEpoch: number;
      readonly metadata: string;
      readonly commitTimestamp: number;
    }
  | { readonly kind: 'delete'; readonly groupId: string; readonly topic: string; readonly partition: number };

export interface OffsetStore {
  /** Committed offsets as of the last run: the latest commit per group/topic/partition. */
  load(): OffsetRecord[];
  /** Resolves once the records are handed to the OS; commits answer after that. */
  append(records: readonly OffsetRecord[]): Promise<void>;
  close(): Promise<void>;
}

export class OffsetStoreError extends Error {
  override readonly name = 'OffsetStoreError';
}

export const memoryOffsetStore = (): OffsetStore => ({
  load: () => [],
  append: async () => {},
  close: async () => {},
});

const key = (r: OffsetRecord) => `${r.groupId}\u0000${r.topic}\u0000${r.partition}`;

/**
 * JSON lines in `<dir>/offsets.jsonl`, one record per line. Opening folds the log to the
 * latest record per partition and rewrites it, so the file stays proportional to live
 * offsets across restarts. A torn last line (crash mid-append) is skipped.
 */
export class FileOffsetStore implements OffsetStore {
  private readonly path: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    this.path = join(dir, 'offsets.jsonl');
  }

  load(): OffsetRecord[] {
    mkdirSync(this.dir, { recursive: true });
    const live = new Map<string, OffsetRecord>();
    if (existsSync(this.path)) {
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        const r = parseRecord(line);
        if (!r) continue;
        if (r.kind === 'delete') live.delete(key(r));
        else live.set(key(r), r);
      }
    }
    const records = [...live.values()];
    const tmp = `${this.path}.tmp`;
    try {
      writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
      renameSync(tmp, this.path);
    } catch (cause) {
      throw new OffsetStoreError(`cannot rewrite ${this.path}; check that the data dir is writable`, { cause });
    }
    return records;
  }

  append(records: readonly OffsetRecord[]): Promise<void> {
    if (records.length === 0) return this.queue;
    const text = records.map((r) => JSON.stringify(r) + '\n').join('');
    // Appends run one after another so lines never interleave.
    const next = this.queue.then(() => appendFile(this.path, text));
    this.queue = next.catch(() => {});
    return next.catch((cause: unknown) => {
      throw new OffsetStoreError(`cannot append to ${this.path}`, { cause });
    });
  }

  async close(): Promise<void> {
    await this.queue;
  }
}

function parseRecord(line: string): OffsetRecord | null {
  if (line.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as { [k: string]: unknown };
  if (typeof r.groupId !== 'string' || typeof r.topic !== 'string' || typeof r.partition !== 'number') return null;
  if (r.kind === 'delete') return { kind: 'delete', groupId: r.groupId, topic: r.topic, partition: r.partition };
  if (r.kind !== 'commit' || typeof r.offset !== 'number') return null;
  return {
    kind: 'commit',
    groupId: r.groupId,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    leaderEpoch: typeof r.leaderEpoch === 'number' ? r.leaderEpoch : -1,
    metadata: typeof r.metadata === 'string' ? r.metadata : '',
    commitTimestamp: typeof r.commitTimestamp === 'number' ? r.commitTimestamp : 0,
  };
}
