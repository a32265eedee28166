// One classic consumer group: its members, generation and state. The coordinator drives the
// transitions; this file holds the bookkeeping that does not depend on time.
import type { Cancel } from './clock.ts';
import type { GroupProtocol, GroupStateName, JoinGroupResult, JoinedMember, SyncGroupResult } from './types.ts';

/** The join phase: waits for every known member to rejoin, at most the rebalance timeout. */
export interface PreparingRebalance {
  readonly kind: 'PreparingRebalance';
  cancelTimer: Cancel;
  /**
   * Set while the group is filling from Empty (group.initial.rebalance.delay.ms): each new
   * member pushes completion back by one delay, until the rebalance timeout is used up.
   */
  initial: { remainingMs: number; newMemberAdded: boolean } | null;
}

export type GroupState =
  | { readonly kind: 'Empty' }
  | PreparingRebalance
  | { readonly kind: 'CompletingRebalance' }
  | { readonly kind: 'Stable' }
  | { readonly kind: 'Dead' };

export interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly GroupProtocol[];
  assignment: Uint8Array;
  /** Resolves the member's parked JoinGroup request. */
  awaitingJoin: ((r: JoinGroupResult) => void) | null;
  /** Resolves the member's parked SyncGroup request. */
  awaitingSync: ((r: SyncGroupResult) => void) | null;
  /** Joined but never received a JoinGroup response: its session timeout does not apply yet. */
  isNew: boolean;
  cancelExpiry: Cancel | null;
}

const EMPTY = new Uint8Array(0);

export class Group {
  state: GroupState = { kind: 'Empty' };
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not rejoined yet (KIP-394). */
  readonly pending = new Map<string, Cancel>();
  /** group.instance.id -> member id of static members (KIP-345). */
  readonly staticMembers = new Map<string, string>();
  /** Members that got a JoinGroup response but have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  cancelSyncTimer: Cancel | null = null;

  constructor(readonly groupId: string) {}

  get stateName(): GroupStateName {
    return this.state.kind;
  }

  is(kind: GroupStateName): boolean {
    return this.state.kind === kind;
  }

  /** The join phase waits for the slowest member's rebalance timeout. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  hasAllMembersJoined(): boolean {
    if (this.pending.size > 0) return false;
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return true;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.pending.get(member.memberId)?.();
    this.pending.delete(member.memberId);
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): Member | undefined {
    const m = this.members.get(memberId);
    if (!m) return undefined;
    m.cancelExpiry?.();
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === memberId) {
      this.staticMembers.delete(m.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return m;
  }

  /** KIP-345: a request naming an instance id that now belongs to another member id is fenced. */
  isFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** Protocols that every current member supports. */
  private commonProtocols(): Set<string> | null {
    if (this.members.size === 0) return null;
    const counts = new Map<string, number>();
    for (const m of this.members.values()) {
      for (const name of new Set(m.protocols.map((p) => p.name))) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return new Set([...counts].filter(([, n]) => n === this.members.size).map(([name]) => name));
  }

  /** A joining member must share the protocol type and at least one protocol with everyone. */
  supportsProtocols(protocolType: string, protocols: readonly GroupProtocol[]): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    const common = this.commonProtocols();
    if (common === null) return true;
    return this.protocolType === protocolType && protocols.some((p) => common.has(p.name));
  }

  /**
   * Each member votes for the first protocol in its own preference order that all members
   * support; the most votes win, ties going to the protocol listed first by the leader.
   */
  selectProtocol(): string | null {
    const common = this.commonProtocols();
    if (!common || common.size === 0) return null;
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => common.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    const leader = this.leaderId ? this.members.get(this.leaderId) : undefined;
    const order = (leader ?? this.members.values().next().value)?.protocols.map((p) => p.name) ?? [];
    let best: string | null = null;
    for (const name of order) {
      if (!common.has(name)) continue;
      if (best === null || (votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
    }
    return best;
  }

  metadataFor(member: Member, protocol: string | null): Uint8Array {
    return member.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** What the leader receives in its JoinGroup response. */
  joinedMembers(): JoinedMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: this.metadataFor(m, this.protocolName),
    }));
  }

  /** True when `protocols` equals what the member joined with (a retried JoinGroup). */
  static sameProtocols(a: readonly GroupProtocol[], b: readonly GroupProtocol[]): boolean {
    return a.length === b.length && a.every((p, i) => {
      const q = b[i]!;
      return p.name === q.name && Buffer.compare(p.metadata, q.metadata) === 0;
    });
  }
}

export const EMPTY_BYTES = EMPTY;
