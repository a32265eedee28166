// The group coordinator as the broker uses it: group membership (./membership.ts) plus
// committed offsets (OffsetCommit / OffsetFetch), DescribeGroups, ListGroups and the
// clean-up hooks for deleted topics and groups. Protocol-independent: handlers map wire
// versions onto these calls.
import { ErrorCode } from '../protocol/errors.ts';
import { Group } from './group.ts';
import { GroupMembership } from './membership.ts';
import type {
  GroupDescription, GroupListing, OffsetCommitRequest, OffsetFetchResult, PartitionError,
  PartitionOffsetCommit,
} from './types.ts';

export type { GroupCoordinatorOptions } from './rebalance.ts';

const EMPTY = new Uint8Array(0);
/** Kafka's OFFSET_METADATA_TOO_LARGE; not (yet) in protocol/errors.ts. */
const OFFSET_METADATA_TOO_LARGE = 12;

export class GroupCoordinator extends GroupMembership {
  /** Set by the KIP-848 coordinator: its groups, and its member-epoch check for commits. */
  consumerGroups: { has(groupId: string): boolean; validateCommit(groupId: string, memberId: string, epoch: number): number } = {
    has: () => false,
    validateCommit: () => ErrorCode.NONE,
  };

  /** For the KIP-848 coordinator: a group id must not be both a classic and a consumer group. */
  classicGroupKind(groupId: string): 'none' | 'empty' | 'active' {
    const g = this.groups.get(groupId);
    if (!g || g.is('Dead')) return 'none';
    return g.is('Empty') && g.members.size === 0 && g.pending.size === 0 ? 'empty' : 'active';
  }

  /**
   * OffsetDelete's view of a classic group: `empty`, a group of another protocol type than
   * `consumer` with members, or the topics its consumer members subscribe to (read from
   * their ConsumerProtocolSubscription: int16 version, then an array of topic names).
   */
  subscriptionOf(groupId: string): { kind: 'unknown' } | { kind: 'empty' } | { kind: 'other-protocol' } | { kind: 'consumer'; topics: Set<string> } {
    const g = this.groups.get(groupId);
    if (!g || g.is('Dead')) return this.offsets.hasOffsets(groupId) ? { kind: 'empty' } : { kind: 'unknown' };
    if (g.members.size === 0) return { kind: 'empty' };
    if (g.protocolType !== 'consumer') return { kind: 'other-protocol' };
    const topics = new Set<string>();
    for (const m of g.members.values()) {
      for (const p of m.protocols) for (const t of subscribedTopics(p.metadata)) topics.add(t);
    }
    return { kind: 'consumer', topics };
  }

  /** An empty classic group becomes a consumer group; its committed offsets stay. */
  forgetEmptyClassicGroup(groupId: string): void {
    if (this.classicGroupKind(groupId) !== 'empty') return;
    this.groups.get(groupId)!.state = { kind: 'Dead' };
    this.groups.delete(groupId);
  }

  /**
   * Per-partition error codes. A commit with generation -1 into an Empty (or new) group is a
   * "simple" commit from a client that manages partitions itself; otherwise the member and
   * generation must be current, and a commit during CompletingRebalance is refused.
   */
  async commitOffsets(req: OffsetCommitRequest, opts: { unknownGroupError?: number } = {}): Promise<PartitionError[]> {
    const all = (errorCode: number) => req.partitions.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    if (this.closed) return all(ErrorCode.NOT_COORDINATOR);
    let group = this.groups.get(req.groupId);
    if (!group) {
      // No group: either a simple consumer (allowed) or a member of a generation long gone
      // (OffsetCommit v9+ says GROUP_ID_NOT_FOUND, older versions ILLEGAL_GENERATION).
      if (req.generationId >= 0) return all(opts.unknownGroupError ?? ErrorCode.ILLEGAL_GENERATION);
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    if (group.is('Dead')) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (group.isFenced(req.memberId, req.groupInstanceId)) return all(ErrorCode.FENCED_INSTANCE_ID);
    if (!(req.generationId < 0 && group.is('Empty'))) {
      const error = this.validateMember(group, req.memberId, req.groupInstanceId, req.generationId);
      if (error !== ErrorCode.NONE) return all(error);
      // The member has its JoinGroup response but not its assignment yet.
      if (group.is('CompletingRebalance')) return all(ErrorCode.REBALANCE_IN_PROGRESS);
      const member = group.members.get(req.memberId)!;
      this.scheduleExpiry(group, member, member.sessionTimeoutMs);
    }
    const result = await this.storeOffsets(group.groupId, req.partitions);
    this.maybeDrop(group);
    return result;
  }

  /**
   * TxnOffsetCommit's group check (KIP-447): without a generation (versions before v3) any
   * producer may commit; with one, the member must be the group's current one.
   */
  validateTxnCommit(req: { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }): number {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    const group = this.groups.get(req.groupId);
    if (req.generationId < 0 && req.memberId === '') return ErrorCode.NONE;
    // A KIP-848 group: the generation is the member epoch.
    if (this.consumerGroups.has(req.groupId)) return this.consumerGroups.validateCommit(req.groupId, req.memberId, req.generationId);
    if (!group) return ErrorCode.ILLEGAL_GENERATION;
    if (group.isFenced(req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    return this.validateMember(group, req.memberId, req.groupInstanceId, req.generationId);
  }

  /** A committed transaction's offsets become the group's committed offsets. */
  async commitTransactional(groupId: string, partitions: readonly PartitionOffsetCommit[]): Promise<void> {
    if (!this.groups.has(groupId) && !this.consumerGroups.has(groupId)) this.groups.set(groupId, new Group(groupId));
    await this.offsets.commit(groupId, partitions, this.clock.now());
  }

  /** Stores commits already validated (by this class or the KIP-848 coordinator); too-large metadata is refused. */
  async storeOffsets(groupId: string, partitions: readonly PartitionOffsetCommit[]): Promise<PartitionError[]> {
    const tooLarge = (p: PartitionOffsetCommit) =>
      p.metadata !== null && Buffer.byteLength(p.metadata, 'utf8') > this.opts.maxOffsetMetadataBytes;
    const accepted = partitions.filter((p) => !tooLarge(p));
    let stored: number = ErrorCode.NONE;
    try {
      await this.offsets.commit(groupId, accepted, this.clock.now());
    } catch {
      stored = ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    return partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      errorCode: tooLarge(p) ? OFFSET_METADATA_TOO_LARGE : stored,
    }));
  }

  /** `partitions` null = every partition the group has committed (OffsetFetch v2+). */
  fetchOffsets(groupId: string, partitions: readonly { topic: string; partition: number }[] | null): OffsetFetchResult {
    if (this.closed) return { errorCode: ErrorCode.NOT_COORDINATOR, partitions: [] };
    if (partitions === null) {
      return {
        errorCode: ErrorCode.NONE,
        partitions: this.offsets.all(groupId).map((c) => ({
          topic: c.topic, partition: c.partition, offset: c.offset, leaderEpoch: c.leaderEpoch,
          metadata: c.metadata, errorCode: ErrorCode.NONE,
        })),
      };
    }
    return {
      errorCode: ErrorCode.NONE,
      partitions: partitions.map(({ topic, partition }) => {
        const c = this.offsets.get(groupId, topic, partition);
        return {
          topic, partition, errorCode: ErrorCode.NONE,
          offset: c?.offset ?? -1, leaderEpoch: c?.leaderEpoch ?? -1, metadata: c?.metadata ?? '',
        };
      }),
    };
  }

  /** An unknown group describes as Dead with no error, as Kafka's classic coordinator does. */
  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (this.closed) return { errorCode: ErrorCode.NOT_COORDINATOR, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    if (!group) return { errorCode: ErrorCode.NONE, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    const stable = group.is('Stable');
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: group.stateName,
      protocolType: group.protocolType ?? '',
      protocol: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? group.metadataFor(m, group.protocolName) : EMPTY,
        assignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  list(): GroupListing[] {
    if (this.closed) return [];
    return [...this.groups.values()]
      .filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.stateName }));
  }

  /** DeleteTopics calls this: committed offsets of deleted topics go too. */
  async deleteTopics(topics: Iterable<string>): Promise<void> {
    await this.offsets.deleteTopics(new Set(topics));
    for (const g of [...this.groups.values()]) this.maybeDrop(g);
  }

  /** DeleteGroups semantics: only an Empty group can be deleted, with its offsets. */
  async deleteGroup(groupId: string): Promise<number> {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    group.state = { kind: 'Dead' };
    this.groups.delete(groupId);
    await this.offsets.deleteGroup(groupId);
    return ErrorCode.NONE;
  }
}

function subscribedTopics(metadata: Uint8Array): string[] {
  try {
    const b = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength);
    let at = 2;
    const n = b.readInt32BE(at);
    at += 4;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = b.readInt16BE(at);
      at += 2;
      out.push(b.toString('utf8', at, at + len));
      at += len;
    }
    return out;
  } catch {
    return []; // not a consumer subscription
  }
}
