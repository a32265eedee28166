// What the other group APIs ask of consumer groups: ConsumerGroupDescribe, ListGroups,
// DeleteGroups, OffsetDelete's subscription check, and the member-epoch checks of
// OffsetCommit / OffsetFetch v9+ and TxnOffsetCommit (KIP-848).
import { ErrorCode } from '../../protocol/errors.ts';
import { ConsumerGroupCoordinator, compileRegex, fromAssignment, type TopicPartitions } from './coordinator.ts';
import type { ConsumerGroupStateName } from './types.ts';

export interface DescribedConsumerMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly memberEpoch: number;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly assignment: readonly TopicPartitions[];
  readonly targetAssignment: readonly TopicPartitions[];
}

export type ConsumerGroupDescription =
  | {
      readonly kind: 'group';
      readonly groupId: string;
      readonly state: ConsumerGroupStateName;
      readonly groupEpoch: number;
      readonly assignmentEpoch: number;
      readonly assignorName: string;
      readonly members: readonly DescribedConsumerMember[];
    }
  | { readonly kind: 'error'; readonly groupId: string; readonly errorCode: number; readonly errorMessage: string };

export class ConsumerGroupService extends ConsumerGroupCoordinator {
  describe(groupId: string, isClassic: boolean): ConsumerGroupDescription {
    if (this.closed) return { kind: 'error', groupId, errorCode: ErrorCode.NOT_COORDINATOR, errorMessage: 'The coordinator is shutting down.' };
    const g = this.groups.get(groupId);
    if (!g) {
      const errorMessage = isClassic ? `Group ${groupId} is not a consumer group.` : `Group ${groupId} not found.`;
      return { kind: 'error', groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage };
    }
    return {
      kind: 'group', groupId, state: g.stateName, groupEpoch: g.groupEpoch, assignmentEpoch: g.assignmentEpoch,
      assignorName: g.assignorName,
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId, instanceId: m.instanceId, rackId: m.rackId, memberEpoch: m.memberEpoch,
        clientId: m.clientId, clientHost: m.clientHost, subscribedTopicNames: m.subscribedTopicNames,
        subscribedTopicRegex: m.subscribedTopicRegex, assignment: fromAssignment(m.assigned),
        targetAssignment: fromAssignment(g.target.get(m.memberId) ?? new Map()),
      })),
    };
  }

  list(): { groupId: string; state: ConsumerGroupStateName }[] {
    if (this.closed) return [];
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, state: g.stateName }));
  }

  /**
   * OffsetCommit / TxnOffsetCommit into a consumer group, as Kafka checks them: with no member
   * (epoch < 0) only while the group is empty (admin tools); else the member must exist at
   * this very epoch (STALE_MEMBER_EPOCH either way), and a plain commit needs OffsetCommit v9+.
   */
  validateCommit(groupId: string, memberId: string, memberEpoch: number, opts: { version?: number; transactional?: boolean } = {}): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.NONE;
    if (memberEpoch < 0 && g.members.size === 0) return ErrorCode.NONE;
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (!opts.transactional && opts.version !== undefined && opts.version < 9) return ErrorCode.UNSUPPORTED_VERSION;
    return memberEpoch === m.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
  }

  /** OffsetFetch v9+: an admin fetch (epoch < 0, no member id) is always allowed. */
  validateFetch(groupId: string, memberId: string | null, memberEpoch: number): number {
    const g = this.groups.get(groupId);
    if (!g || (memberEpoch < 0 && memberId === null)) return ErrorCode.NONE;
    const m = memberId === null ? undefined : g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (memberEpoch !== m.memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** DeleteGroups: only an empty consumer group goes (its offsets are the caller's to drop). */
  deleteGroup(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    return ErrorCode.NONE;
  }

  /** Whether any member subscribes to the topic (OffsetDelete refuses those offsets). */
  subscribesTo(groupId: string, topic: string): boolean {
    const g = this.groups.get(groupId);
    if (!g) return false;
    for (const m of g.members.values()) {
      if (m.subscribedTopicNames.includes(topic)) return true;
      if (m.subscribedTopicRegex !== null && compileRegex(m.subscribedTopicRegex)?.test(topic)) return true;
    }
    return false;
  }
}
