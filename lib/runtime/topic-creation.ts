// Creating topics and waiting until every partition has a leader. kafkajs's own
// `createTopics({ waitForLeaders: true })` gives up on the first UNKNOWN_TOPIC_OR_PARTITION that a
// busy KRaft broker answers while the new topic's metadata is still propagating; this waits instead.
import type { Admin, ITopicConfig } from 'kafkajs';
import { StreamsError } from '../streams/api/errors.ts';
import { resolveReplicationFactor } from './internal-topics.ts';

export interface EnsureTopicsOptions {
  /** -1 (the default) takes the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** How long to wait for every partition to have a leader (default 30 s). */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
}

/** The topics were created (or existed) but some partitions have no leader in time. */
export class TopicsNotReadyError extends StreamsError {}

/**
 * Creates the topics that do not exist yet (one that appears meanwhile is fine) and resolves once
 * every partition of every topic has a leader. Answers the replication factor used.
 */
export async function ensureTopics(admin: Admin, topics: readonly ITopicConfig[], options: EnsureTopicsOptions = {}): Promise<number> {
  const log = options.log ?? (() => {});
  const replicationFactor = await resolveReplicationFactor(admin, options.replicationFactor ?? topics[0]?.replicationFactor ?? -1, log);
  if (topics.length === 0) return replicationFactor;
  try {
    await admin.createTopics({ topics: topics.map((t) => ({ ...t, replicationFactor: t.replicationFactor ?? replicationFactor })), waitForLeaders: false });
  } catch (err) {
    // TOPIC_ALREADY_EXISTS for some of them: another instance created them first.
    if (!isAlreadyExists(err)) throw err;
  }
  await waitForLeaders(admin, topics.map((t) => t.topic), options.timeoutMs ?? 30_000);
  return replicationFactor;
}

async function waitForLeaders(admin: Admin, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
      if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      last = undefined;
    } catch (err) {
      last = err; // UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE while the topic propagates
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new TopicsNotReadyError(`Topics ${names.join(', ')} have no leader for every partition after ${timeoutMs} ms${why}`, { cause: last });
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { type?: string; errors?: { type?: string }[] } | undefined;
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
}
