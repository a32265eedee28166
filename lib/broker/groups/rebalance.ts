// The rebalance machinery shared by the group APIs: the join phase and its timers, session
// expiry, and the generation handover. Mirrors Kafka's classic GroupCoordinator
// (prepareRebalance / onCompleteJoin / heartbeat expiry); ./membership.ts adds the APIs.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { EMPTY_BYTES, Group, type Member } from './group.ts';
import { memoryOffsetStore, type OffsetStore } from './offset-store.ts';
import { OffsetTable } from './offsets.ts';
import type { JoinGroupResult, SyncGroupResult } from './types.ts';

export interface GroupCoordinatorOptions {
  readonly clock?: Clock;
  readonly offsetStore?: OffsetStore;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms (Kafka: 6 s, 30 min). */
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
  /**
   * group.initial.rebalance.delay.ms. Kafka's default is 3000, but its shipped dev config
   * sets 0, which suits a laptop broker: an empty group completes its first join at once.
   */
  readonly initialRebalanceDelayMs?: number;
  /** How long a new member's first JoinGroup may wait before it is dropped (Kafka: 5 min). */
  readonly newMemberJoinTimeoutMs?: number;
  /** offset.metadata.max.bytes (Kafka: 4096). */
  readonly maxOffsetMetadataBytes?: number;
  readonly newMemberId?: (clientId: string) => string;
}

export const joinError = (errorCode: number, memberId = ''): JoinGroupResult => ({ kind: 'error', errorCode, memberId });
export const syncError = (errorCode: number): SyncGroupResult => ({ kind: 'error', errorCode });

export class Rebalancer {
  readonly clock: Clock;
  readonly offsets: OffsetTable;
  protected readonly groups = new Map<string, Group>();
  protected closed = false;
  protected readonly opts: Required<Omit<GroupCoordinatorOptions, 'clock' | 'offsetStore'>>;

  constructor(options: GroupCoordinatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.offsets = new OffsetTable(options.offsetStore ?? memoryOffsetStore());
    this.opts = {
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? 6_000,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 1_800_000,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 0,
      newMemberJoinTimeoutMs: options.newMemberJoinTimeoutMs ?? 300_000,
      maxOffsetMetadataBytes: options.maxOffsetMetadataBytes ?? 4096,
      newMemberId: options.newMemberId ?? ((clientId) => `${clientId}-${randomUUID()}`),
    };
    // Groups that only have committed offsets exist, Empty, as after a Kafka restart.
    for (const id of this.offsets.groupIds()) this.groups.set(id, new Group(id));
  }

  protected joinedResult(group: Group, member: Member): Extract<JoinGroupResult, { kind: 'joined' }> {
    return {
      kind: 'joined',
      memberId: member.memberId,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderId ?? '',
      members: group.leaderId === member.memberId ? group.joinedMembers() : [],
    };
  }

  protected maybePrepareRebalance(group: Group): void {
    const k = group.state.kind;
    if (k === 'Stable' || k === 'CompletingRebalance' || k === 'Empty') this.prepareRebalance(group);
  }

  protected prepareRebalance(group: Group): void {
    if (group.is('CompletingRebalance')) {
      // Members waiting in SyncGroup learn that they must rejoin.
      for (const m of group.members.values()) {
        m.assignment = EMPTY_BYTES;
        const waiting = m.awaitingSync;
        m.awaitingSync = null;
        waiting?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      }
    }
    group.cancelSyncTimer?.();
    group.cancelSyncTimer = null;
    group.pendingSync.clear();
    const delay = this.opts.initialRebalanceDelayMs;
    if (group.is('Empty') && delay > 0) {
      const remainingMs = Math.max(group.rebalanceTimeoutMs - delay, 0);
      group.state = {
        kind: 'PreparingRebalance',
        initial: { remainingMs, newMemberAdded: false },
        cancelTimer: this.clock.schedule(delay, () => this.onInitialDelay(group)),
      };
      return;
    }
    group.state = {
      kind: 'PreparingRebalance',
      initial: null,
      cancelTimer: this.clock.schedule(group.rebalanceTimeoutMs, () => this.completeJoin(group)),
    };
    this.tryCompleteJoin(group);
  }

  protected onInitialDelay(group: Group): void {
    const st = group.state;
    if (st.kind !== 'PreparingRebalance' || !st.initial) return;
    const { initial } = st;
    if (initial.newMemberAdded && initial.remainingMs > 0) {
      const delay = Math.min(this.opts.initialRebalanceDelayMs, initial.remainingMs);
      initial.remainingMs -= delay;
      initial.newMemberAdded = false;
      st.cancelTimer = this.clock.schedule(delay, () => this.onInitialDelay(group));
      return;
    }
    this.completeJoin(group);
  }

  protected tryCompleteJoin(group: Group): void {
    const st = group.state;
    if (st.kind === 'PreparingRebalance' && !st.initial && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** End of the join phase: drop who did not rejoin, start the next generation, answer the joins. */
  protected completeJoin(group: Group): void {
    const st = group.state;
    if (st.kind !== 'PreparingRebalance') return;
    st.cancelTimer();
    for (const m of [...group.members.values()]) {
      if (!m.awaitingJoin && m.groupInstanceId === null) group.remove(m.memberId);
    }
    const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
    if (!leader?.awaitingJoin) {
      const joined = [...group.members.values()].find((m) => m.awaitingJoin);
      if (joined) group.leaderId = joined.memberId;
      else if (group.members.size > 0) {
        // Only static members that have not rejoined remain: wait another rebalance timeout.
        st.cancelTimer = this.clock.schedule(group.rebalanceTimeoutMs, () => this.completeJoin(group));
        return;
      }
    }
    group.generationId += 1;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.leaderId = null;
      group.state = { kind: 'Empty' };
      this.maybeDrop(group);
      return;
    }
    group.protocolName = group.selectProtocol();
    group.state = { kind: 'CompletingRebalance' };
    for (const m of group.members.values()) {
      group.pendingSync.add(m.memberId);
      const waiting = m.awaitingJoin;
      m.awaitingJoin = null;
      m.isNew = false;
      waiting?.(this.joinedResult(group, m));
      this.scheduleExpiry(group, m, m.sessionTimeoutMs);
    }
    // Members that never send SyncGroup are removed after the rebalance timeout (KAFKA-13225).
    const generation = group.generationId;
    group.cancelSyncTimer = this.clock.schedule(group.rebalanceTimeoutMs, () => this.expirePendingSync(group, generation));
  }

  protected expirePendingSync(group: Group, generation: number): void {
    group.cancelSyncTimer = null;
    if (group.generationId !== generation || group.pendingSync.size === 0) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    for (const id of group.pendingSync) {
      const m = group.members.get(id);
      if (!m) continue;
      m.awaitingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID));
      m.awaitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      group.remove(id);
    }
    this.prepareRebalance(group);
  }

  protected scheduleExpiry(group: Group, member: Member, timeoutMs: number): void {
    member.cancelExpiry?.();
    member.cancelExpiry = this.clock.schedule(timeoutMs, () => this.onExpiry(group, member));
  }

  protected onExpiry(group: Group, member: Member): void {
    member.cancelExpiry = null;
    if (group.members.get(member.memberId) !== member) return;
    // A member parked in JoinGroup or SyncGroup cannot heartbeat; the rebalance and sync
    // timeouts bound those waits instead. Only a new member's first join times out here.
    if (member.awaitingJoin && !member.isNew) return;
    if (member.awaitingSync) return;
    this.removeMemberAndUpdateGroup(group, member);
    this.maybeDrop(group);
  }

  protected expirePending(group: Group, memberId: string): void {
    group.pending.get(memberId)?.();
    group.pending.delete(memberId);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    this.maybeDrop(group);
  }

  protected removeMemberAndUpdateGroup(group: Group, member: Member): void {
    member.awaitingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID));
    member.awaitingSync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    member.awaitingJoin = null;
    member.awaitingSync = null;
    group.remove(member.memberId);
    const k = group.state.kind;
    if (k === 'Stable' || k === 'CompletingRebalance') this.maybePrepareRebalance(group);
    else if (k === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  /** An Empty group with no offsets and no one about to join is forgotten. */
  protected maybeDrop(group: Group): void {
    if (!group.is('Empty') || group.members.size > 0 || group.pending.size > 0) return;
    if (this.offsets.hasOffsets(group.groupId)) return;
    group.state = { kind: 'Dead' };
    this.groups.delete(group.groupId);
  }

  /** Stops every timer and answers parked requests with NOT_COORDINATOR. */
  async close(): Promise<void> {
    this.closed = true;
    for (const group of this.groups.values()) {
      if (group.state.kind === 'PreparingRebalance') group.state.cancelTimer();
      group.cancelSyncTimer?.();
      for (const cancel of group.pending.values()) cancel();
      for (const m of group.members.values()) {
        m.cancelExpiry?.();
        m.awaitingJoin?.(joinError(ErrorCode.NOT_COORDINATOR, m.memberId));
        m.awaitingSync?.(syncError(ErrorCode.NOT_COORDINATOR));
      }
      group.state = { kind: 'Dead' };
    }
    this.groups.clear();
    await this.offsets.close();
  }
}
