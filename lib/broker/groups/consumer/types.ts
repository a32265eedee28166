// The consumer group protocol of KIP-848: the broker computes assignments and each member
// converges on its target through member epochs. These are its data, independent of wire
// versions; ./coordinator.ts drives them.
import type { Cancel } from '../clock.ts';

/** Partitions per topic id. */
export type Assignment = Map<string, Set<number>>;

/**
 * Where a member stands against its target assignment (Kafka's MemberState): `unrevoked`
 * = it must first give up partitions; `unreleased` = it waits for partitions another member
 * still owns; `stable` = it owns its whole target at the target epoch.
 */
export type MemberState = 'stable' | 'unrevoked' | 'unreleased';

export interface ConsumerMember {
  readonly memberId: string;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: readonly string[];
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  state: MemberState;
  memberEpoch: number;
  previousMemberEpoch: number;
  assigned: Assignment;
  pendingRevocation: Assignment;
  cancelSession: Cancel | null;
  cancelRebalance: Cancel | null;
}

export type ConsumerGroupStateName = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable';

export class ConsumerGroup {
  // Kafka 4.x starts a modern group at epoch 1 (ModernGroup), so its first member gets epoch 2,
  // as `kafka-consumer-groups --describe --state --verbose` shows.
  groupEpoch = 1;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerMember>();
  /** The target assignment of each member at assignmentEpoch. */
  readonly target = new Map<string, Assignment>();
  /** `topicId:partition` → the member that owns it now (assigned or still revoking). */
  readonly owners = new Map<string, string>();
  /** The subscribed topics' names, ids and partition counts when the epoch was last bumped. */
  subscriptionKey = '';
  assignorName = 'uniform';

  constructor(readonly groupId: string) {}

  get stateName(): ConsumerGroupStateName {
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.state !== 'stable' || m.memberEpoch !== this.assignmentEpoch) return 'Reconciling';
    }
    return 'Stable';
  }

  /** Records who owns which partitions after a member's assignment changed. */
  setOwnership(member: ConsumerMember, assigned: Assignment, pendingRevocation: Assignment): void {
    this.releaseAll(member);
    member.assigned = assigned;
    member.pendingRevocation = pendingRevocation;
    for (const a of [assigned, pendingRevocation]) {
      for (const [topicId, ps] of a) for (const p of ps) this.owners.set(`${topicId}:${p}`, member.memberId);
    }
  }

  releaseAll(member: ConsumerMember): void {
    for (const a of [member.assigned, member.pendingRevocation]) {
      for (const [topicId, ps] of a) {
        for (const p of ps) if (this.owners.get(`${topicId}:${p}`) === member.memberId) this.owners.delete(`${topicId}:${p}`);
      }
    }
  }

  /** The member other than `memberId` that still owns the partition, if any. */
  ownedByOther(topicId: string, partition: number, memberId: string): boolean {
    const owner = this.owners.get(`${topicId}:${partition}`);
    return owner !== undefined && owner !== memberId;
  }
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  const size = (x: Assignment) => [...x.values()].reduce((n, s) => n + s.size, 0);
  if (size(a) !== size(b)) return false;
  for (const [t, ps] of a) for (const p of ps) if (!b.get(t)?.has(p)) return false;
  return true;
}

export function copyAssignment(a: Assignment): Assignment {
  return new Map([...a].filter(([, ps]) => ps.size > 0).map(([t, ps]) => [t, new Set(ps)]));
}
