// The classic group APIs: JoinGroup / SyncGroup / Heartbeat / LeaveGroup over the state
// machine Empty → PreparingRebalance → CompletingRebalance → Stable, following Kafka's classic
// GroupCoordinator, with KIP-394 member ids and KIP-345 static members (fenced when replaced;
// a restart into a Stable group keeps its assignment). ./coordinator.ts adds offsets and queries.
import { ErrorCode } from '../protocol/errors.ts';
import { EMPTY_BYTES, Group, type Member } from './group.ts';
import { Rebalancer, joinError, syncError } from './rebalance.ts';
import type {
  HeartbeatRequest, JoinGroupRequest, JoinGroupResult, LeaveGroupResult, MemberIdentity,
  SyncGroupRequest, SyncGroupResult,
} from './types.ts';

export class GroupMembership extends Rebalancer {
  /** Resolves when the join phase completes (or at once with an error); never rejects. */
  join(req: JoinGroupRequest): Promise<JoinGroupResult> {
    if (this.closed) return Promise.resolve(joinError(ErrorCode.NOT_COORDINATOR, req.memberId));
    if (req.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    const g = group;
    return new Promise<JoinGroupResult>((resolve) => {
      if (req.memberId === '') this.joinUnknown(g, req, resolve);
      else this.joinKnown(g, req, resolve);
      if (g.state.kind === 'PreparingRebalance') this.tryCompleteJoin(g);
      this.maybeDrop(g);
    });
  }

  private joinUnknown(group: Group, req: JoinGroupRequest, resolve: (r: JoinGroupResult) => void): void {
    if (group.is('Dead')) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const memberId = this.opts.newMemberId(req.clientId);
    if (req.groupInstanceId !== null && group.staticMembers.has(req.groupInstanceId)) {
      return this.replaceStaticMember(group, memberId, req, resolve);
    }
    if (req.requireKnownMemberId && req.groupInstanceId === null) {
      // KIP-394: park the id; it must come back within a session timeout to count.
      group.pending.set(memberId, this.clock.schedule(req.sessionTimeoutMs, () => this.expirePending(group, memberId)));
      return resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
    }
    this.addMemberAndRebalance(group, memberId, req, resolve);
  }

  private joinKnown(group: Group, req: JoinGroupRequest, resolve: (r: JoinGroupResult) => void): void {
    const { memberId } = req;
    if (group.is('Dead')) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    if (group.pending.has(memberId)) return this.addMemberAndRebalance(group, memberId, req, resolve);
    if (group.isFenced(memberId, req.groupInstanceId)) return resolve(joinError(ErrorCode.FENCED_INSTANCE_ID, memberId));
    const member = group.members.get(memberId);
    const unknownInstance = req.groupInstanceId !== null && !group.staticMembers.has(req.groupInstanceId);
    if (!member || unknownInstance) return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    const same = Group.sameProtocols(member.protocols, req.protocols);
    switch (group.state.kind) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, req, resolve);
      case 'CompletingRebalance':
        // The same metadata again: the member lost its JoinGroup response; repeat it.
        if (same) return resolve(this.joinedResult(group, member));
        return this.updateMemberAndRebalance(group, member, req, resolve);
      case 'Stable':
        // A leader's rejoin forces a rebalance (it may have seen topic metadata change).
        if (group.leaderId === memberId || !same) return this.updateMemberAndRebalance(group, member, req, resolve);
        return resolve({ ...this.joinedResult(group, member), members: [] });
      case 'Empty':
      case 'Dead':
        return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    }
  }

  private addMemberAndRebalance(group: Group, memberId: string, req: JoinGroupRequest, resolve: (r: JoinGroupResult) => void): void {
    const member: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      sessionTimeoutMs: req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: copyProtocols(req),
      assignment: EMPTY_BYTES,
      awaitingJoin: resolve,
      awaitingSync: null,
      isNew: true,
      cancelExpiry: null,
    };
    if (group.state.kind === 'PreparingRebalance' && group.state.initial) group.state.initial.newMemberAdded = true;
    group.add(member);
    // A new member has no id to heartbeat with yet; bound its wait by the new-member timeout.
    this.scheduleExpiry(group, member, this.opts.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(group: Group, member: Member, req: JoinGroupRequest, resolve: (r: JoinGroupResult) => void): void {
    member.protocols = copyProtocols(req);
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    // A second JoinGroup replaces one the client gave up on; answer the old one so it is not left hanging.
    member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.awaitingJoin = resolve;
    this.maybePrepareRebalance(group);
  }

  private replaceStaticMember(group: Group, memberId: string, req: JoinGroupRequest, resolve: (r: JoinGroupResult) => void): void {
    const old = group.members.get(group.staticMembers.get(req.groupInstanceId!)!)!;
    old.awaitingJoin?.(joinError(ErrorCode.FENCED_INSTANCE_ID, old.memberId));
    old.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    const formerLeader = group.leaderId;
    group.remove(old.memberId);
    const member: Member = { ...old, memberId, awaitingJoin: null, awaitingSync: null, cancelExpiry: null };
    group.add(member);
    if (formerLeader === old.memberId) group.leaderId = memberId;
    this.scheduleExpiry(group, member, member.sessionTimeoutMs);
    if (group.is('Stable')) {
      member.protocols = copyProtocols(req);
      member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      member.sessionTimeoutMs = req.sessionTimeoutMs;
      if (group.selectProtocol() === group.protocolName) {
        // KIP-345: a restarted static member keeps its assignment without a rebalance. The
        // former leader id goes back, so it does not compute an assignment nobody would receive.
        return resolve({ ...this.joinedResult(group, member), leaderId: formerLeader ?? '', members: [] });
      }
    }
    this.updateMemberAndRebalance(group, member, req, resolve);
  }

  sync(req: SyncGroupRequest): Promise<SyncGroupResult> {
    if (this.closed) return Promise.resolve(syncError(ErrorCode.NOT_COORDINATOR));
    if (req.groupId === '') return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const group = this.groups.get(req.groupId);
    if (!group) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    const error = this.validateMember(group, req.memberId, req.groupInstanceId, req.generationId);
    if (error !== ErrorCode.NONE) return Promise.resolve(syncError(error));
    if ((req.protocolType !== null && req.protocolType !== group.protocolType)
      || (req.protocolName !== null && req.protocolName !== group.protocolName)) {
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state.kind) {
      case 'Empty':
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.syncArrived(group, req.memberId);
        this.scheduleExpiry(group, member, member.sessionTimeoutMs);
        return Promise.resolve(this.syncedResult(group, member));
      case 'Dead':
        return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      case 'CompletingRebalance':
        break;
    }
    this.syncArrived(group, req.memberId);
    return new Promise<SyncGroupResult>((resolve) => {
      member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      member.awaitingSync = resolve;
      if (group.leaderId !== req.memberId) return; // followers wait for the leader's assignment
      const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      for (const m of group.members.values()) {
        const a = given.get(m.memberId);
        m.assignment = a ? Buffer.from(a) : EMPTY_BYTES;
      }
      group.state = { kind: 'Stable' };
      for (const m of group.members.values()) {
        const waiting = m.awaitingSync;
        if (!waiting) continue;
        m.awaitingSync = null;
        waiting(this.syncedResult(group, m));
        this.scheduleExpiry(group, m, m.sessionTimeoutMs);
      }
    });
  }

  private syncedResult(group: Group, member: Member): SyncGroupResult {
    return { kind: 'synced', protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment };
  }

  private syncArrived(group: Group, memberId: string): void {
    group.pendingSync.delete(memberId);
    if (group.pendingSync.size === 0) {
      group.cancelSyncTimer?.();
      group.cancelSyncTimer = null;
    }
  }

  /** Returns an error code: NONE, REBALANCE_IN_PROGRESS (rejoin), UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, ... */
  heartbeat(req: HeartbeatRequest): number {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    if (req.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const error = this.validateMember(group, req.memberId, req.groupInstanceId, req.generationId);
    if (error !== ErrorCode.NONE) return error;
    if (group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(req.memberId)!;
    this.scheduleExpiry(group, member, member.sessionTimeoutMs);
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** The checks Kafka applies, in its order, before SyncGroup, Heartbeat and OffsetCommit. */
  protected validateMember(group: Group, memberId: string, groupInstanceId: string | null, generationId: number): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    if (!group.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  leave(groupId: string, members: readonly MemberIdentity[]): LeaveGroupResult {
    if (this.closed) return { errorCode: ErrorCode.NOT_COORDINATOR, members: [] };
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const group = this.groups.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const results = members.map((m) => ({ ...m, errorCode: this.leaveOne(group, m) }));
    this.maybeDrop(group);
    return { errorCode: ErrorCode.NONE, members: results };
  }

  private leaveOne(group: Group, { memberId, groupInstanceId }: MemberIdentity): number {
    if (memberId !== '' && group.isFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    if (group.pending.has(memberId)) {
      this.expirePending(group, memberId);
      return ErrorCode.NONE;
    }
    const staticId = groupInstanceId === null ? undefined : group.staticMembers.get(groupInstanceId);
    const member = group.members.get(staticId ?? memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(group, member);
    return ErrorCode.NONE;
  }
}

function copyProtocols(req: JoinGroupRequest): Member['protocols'] {
  // Request bytes are views into the connection's frame buffer; keep our own copy.
  return req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}
