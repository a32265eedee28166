// Committed offsets per group, topic and partition, mirrored to an OffsetStore. Whether a
// commit is allowed (member, generation) is the coordinator's call; this is the table.
import type { OffsetRecord, OffsetStore } from './offset-store.ts';
import type { CommittedOffset, PartitionOffsetCommit } from './types.ts';

type PartitionKey = `${string}\u0000${number}`;
const pk = (topic: string, partition: number): PartitionKey => `${topic}\u0000${partition}`;

export class OffsetTable {
  private readonly groups = new Map<string, Map<PartitionKey, CommittedOffset & { topic: string; partition: number }>>();

  constructor(private readonly store: OffsetStore) {
    for (const r of store.load()) if (r.kind === 'commit') this.put(r.groupId, r, r.commitTimestamp);
  }

  private put(groupId: string, c: PartitionOffsetCommit | OffsetRecord & { kind: 'commit' }, now: number): OffsetRecord {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Map()));
    const entry = {
      topic: c.topic,
      partition: c.partition,
      offset: c.offset,
      leaderEpoch: c.leaderEpoch,
      metadata: c.metadata ?? '',
      commitTimestamp: now,
    };
    g.set(pk(c.topic, c.partition), entry);
    return { kind: 'commit', groupId, ...entry };
  }

  /** Applies the commits in memory at once and resolves when the store has them. */
  commit(groupId: string, commits: readonly PartitionOffsetCommit[], now: number): Promise<void> {
    return this.store.append(commits.map((c) => this.put(groupId, c, now)));
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.get(pk(topic, partition));
  }

  /** Every committed partition of a group, in commit order. */
  all(groupId: string): (CommittedOffset & { topic: string; partition: number })[] {
    return [...(this.groups.get(groupId)?.values() ?? [])];
  }

  hasOffsets(groupId: string): boolean {
    return (this.groups.get(groupId)?.size ?? 0) > 0;
  }

  groupIds(): string[] {
    return [...this.groups.keys()].filter((g) => this.hasOffsets(g));
  }

  /** Drops every group's offsets for these topics (they were deleted). */
  deleteTopics(topics: ReadonlySet<string>): Promise<void> {
    const records: OffsetRecord[] = [];
    for (const [groupId, g] of this.groups) {
      for (const [k, e] of g) {
        if (!topics.has(e.topic)) continue;
        g.delete(k);
        records.push({ kind: 'delete', groupId, topic: e.topic, partition: e.partition });
      }
    }
    return this.store.append(records);
  }

  /** Drops some of a group's offsets (OffsetDelete); partitions it never committed are no-ops. */
  deletePartitions(groupId: string, partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    const g = this.groups.get(groupId);
    const records: OffsetRecord[] = [];
    for (const { topic, partition } of partitions) {
      if (!g?.delete(pk(topic, partition))) continue;
      records.push({ kind: 'delete', groupId, topic, partition });
    }
    return this.store.append(records);
  }

  /** Drops all of a group's offsets (DeleteGroups). */
  deleteGroup(groupId: string): Promise<void> {
    const g = this.groups.get(groupId);
    this.groups.delete(groupId);
    const records: OffsetRecord[] = [...(g?.values() ?? [])].map((e) => ({
      kind: 'delete', groupId, topic: e.topic, partition: e.partition,
    }));
    return this.store.append(records);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
