// One member's step towards its target assignment (Kafka's CurrentAssignmentBuilder): the
// member keeps what it has of its target; partitions it must give up are revoked first, at
// the same epoch; only once the member no longer reports them does it move to the target
// epoch and receive new partitions, and then only those no other member still owns.
import { copyAssignment, sameAssignment, type Assignment, type ConsumerGroup, type ConsumerMember } from './types.ts';

/** The partitions the member says it owns; null when the heartbeat left them out. */
export type Owned = Assignment | null;

function ownsAnyOf(owned: Owned, revoked: Assignment): boolean {
  if (owned === null) return true; // unknown: assume it still owns them
  for (const [t, ps] of revoked) for (const p of ps) if (owned.get(t)?.has(p)) return true;
  return false;
}

/** Updates the member in place; returns true when its assigned partitions or epoch changed. */
export function reconcile(group: ConsumerGroup, member: ConsumerMember, owned: Owned): boolean {
  const targetEpoch = group.assignmentEpoch;
  switch (member.state) {
    case 'stable':
      if (member.memberEpoch === targetEpoch) return false;
      return next(group, member, owned, member.memberEpoch);
    case 'unrevoked':
      if (ownsAnyOf(owned, member.pendingRevocation)) return false;
      return next(group, member, owned, member.memberEpoch + 1);
    case 'unreleased':
      return next(group, member, owned, member.memberEpoch);
  }
}

function next(group: ConsumerGroup, member: ConsumerMember, owned: Owned, epochIfRevoking: number): boolean {
  const target = group.target.get(member.memberId) ?? new Map();
  const assigned: Assignment = new Map(), revoking: Assignment = new Map(), incoming: Assignment = new Map();
  let unreleased = false;
  for (const topicId of new Set([...target.keys(), ...member.assigned.keys()])) {
    const want = target.get(topicId) ?? new Set<number>();
    const have = member.assigned.get(topicId) ?? new Set<number>();
    const keep = new Set([...have].filter((p) => want.has(p)));
    const give = new Set([...have].filter((p) => !keep.has(p)));
    const take = new Set<number>();
    for (const p of want) {
      if (keep.has(p)) continue;
      if (group.ownedByOther(topicId, p, member.memberId)) unreleased = true;
      else take.add(p);
    }
    if (keep.size) assigned.set(topicId, keep);
    if (give.size) revoking.set(topicId, give);
    if (take.size) incoming.set(topicId, take);
  }
  const before = { epoch: member.memberEpoch, assigned: copyAssignment(member.assigned) };
  if (revoking.size > 0 && ownsAnyOf(owned, revoking)) {
    member.state = 'unrevoked';
    setEpoch(member, epochIfRevoking);
    group.setOwnership(member, assigned, revoking);
  } else {
    for (const [t, ps] of incoming) assigned.set(t, new Set([...(assigned.get(t) ?? []), ...ps]));
    member.state = unreleased ? 'unreleased' : 'stable';
    setEpoch(member, group.assignmentEpoch);
    group.setOwnership(member, assigned, new Map());
  }
  return before.epoch !== member.memberEpoch || !sameAssignment(before.assigned, member.assigned);
}

function setEpoch(member: ConsumerMember, epoch: number): void {
  if (epoch === member.memberEpoch) return;
  member.previousMemberEpoch = member.memberEpoch;
  member.memberEpoch = epoch;
}
