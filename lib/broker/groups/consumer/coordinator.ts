// The KIP-848 consumer group coordinator: ConsumerGroupHeartbeat joins, updates and leaves
// members; a subscription or topic change bumps the group epoch, which recomputes every
// member's target with the server-side assignor; each heartbeat then moves its member one
// step (./reconcile.ts). A member missing heartbeats for the session timeout, or not
// revoking within its rebalance timeout, is removed. Classic groups live in ../coordinator.ts:
// a group id is one type or the other (group.consumer.migration.policy=disabled).
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors.ts';
import type { TopicStore } from '../../storage/topic-store.ts';
import { systemClock, type Clock } from '../clock.ts';
import { assignors, DEFAULT_ASSIGNOR } from './assignors.ts';
import { reconcile, type Owned } from './reconcile.ts';
import { ConsumerGroup, copyAssignment, sameAssignment, type Assignment, type ConsumerMember } from './types.ts';

export interface TopicPartitions { readonly topicId: string; readonly partitions: readonly number[] }

export interface ConsumerHeartbeat {
  readonly groupId: string;
  readonly memberId: string;
  /** 0 joins, -1 leaves, -2 a static member leaving to come back. */
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  /** -1 = unchanged. */
  readonly rebalanceTimeoutMs: number;
  /** null = unchanged (as every nullable field below). */
  readonly subscribedTopicNames: readonly string[] | null;
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
  readonly topicPartitions: readonly TopicPartitions[] | null;
  readonly clientId: string;
  readonly clientHost: string;
}

export type HeartbeatResult =
  | {
      readonly kind: 'ok';
      readonly memberId: string;
      readonly memberEpoch: number;
      readonly heartbeatIntervalMs: number;
      /** null when the member's assignment did not change and the request was not a full one. */
      readonly assignment: TopicPartitions[] | null;
    }
  | { readonly kind: 'error'; readonly errorCode: number; readonly errorMessage: string };

/** What the classic coordinator tells this one about a group id. */
export interface ClassicGroups {
  classicGroupKind(groupId: string): 'none' | 'empty' | 'active';
  forgetEmptyClassicGroup(groupId: string): void;
}

export interface ConsumerGroupOptions {
  readonly topics: TopicStore;
  readonly classic: ClassicGroups;
  readonly clock?: Clock;
  /** group.consumer.heartbeat.interval.ms (Kafka: 5000). */
  readonly heartbeatIntervalMs?: number;
  /** group.consumer.session.timeout.ms (Kafka: 45000). */
  readonly sessionTimeoutMs?: number;
  /** group.consumer.max.size (Kafka: unbounded). */
  readonly maxGroupSize?: number;
}

/** The epoch of a static member that left to come back (KIP-848). */
const STATIC_LEFT = -2;

const fail = (errorCode: number, errorMessage: string): HeartbeatResult => ({ kind: 'error', errorCode, errorMessage });

export function toAssignment(tps: readonly TopicPartitions[]): Assignment {
  const a: Assignment = new Map();
  for (const t of tps) {
    const s = a.get(t.topicId) ?? new Set<number>();
    for (const p of t.partitions) s.add(p);
    a.set(t.topicId, s);
  }
  return a;
}

export function fromAssignment(a: Assignment): TopicPartitions[] {
  return [...a].filter(([, ps]) => ps.size > 0).map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export class ConsumerGroupCoordinator {
  protected readonly groups = new Map<string, ConsumerGroup>();
  protected closed = false;
  readonly clock: Clock;
  protected readonly opts: Required<Omit<ConsumerGroupOptions, 'clock'>>;

  constructor(options: ConsumerGroupOptions) {
    this.clock = options.clock ?? systemClock;
    this.opts = {
      heartbeatIntervalMs: 5000, sessionTimeoutMs: 45_000, maxGroupSize: Number.MAX_SAFE_INTEGER,
      ...options,
    };
  }

  /** The group if `groupId` is a consumer group. */
  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  /** JoinGroup's check: a consumer group with members refuses classic members; an empty one gives way. */
  yieldToClassic(groupId: string): boolean {
    const g = this.groups.get(groupId);
    if (!g) return true;
    if (g.members.size > 0) return false;
    this.groups.delete(groupId);
    return true;
  }

  heartbeat(req: ConsumerHeartbeat): HeartbeatResult {
    if (this.closed) return fail(ErrorCode.NOT_COORDINATOR, 'The coordinator is shutting down.');
    const invalid = this.invalidRequest(req);
    if (invalid) return fail(ErrorCode.INVALID_REQUEST, invalid);
    if (req.serverAssignor !== null && !assignors.has(req.serverAssignor)) {
      return fail(ErrorCode.UNSUPPORTED_ASSIGNOR, `ServerAssignor ${req.serverAssignor} is not supported. Supported assignors: ${[...assignors.keys()].join(', ')}.`);
    }
    if (req.memberEpoch < 0) return this.leave(req.groupId, req.memberId, req.memberEpoch);
    const joining = req.memberEpoch === 0;
    let group = this.groups.get(req.groupId);
    if (!group) {
      const classic = this.opts.classic.classicGroupKind(req.groupId);
      if (classic === 'active') return fail(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a consumer group.`);
      if (!joining) return fail(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${req.groupId} not found.`);
      if (classic === 'empty') this.opts.classic.forgetEmptyClassicGroup(req.groupId);
      group = new ConsumerGroup(req.groupId);
      this.groups.set(req.groupId, group);
    }
    const memberId = req.memberId === '' ? kafkaUuid() : req.memberId;
    let member = group.members.get(memberId);
    let isNew = !member;
    const owned: Owned = req.topicPartitions === null ? null : toAssignment(req.topicPartitions);
    if (!member) {
      if (!joining) return fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${req.groupId}.`);
      const previous = req.instanceId === null ? undefined : [...group.members.values()].find((m) => m.instanceId === req.instanceId);
      if (previous && previous.memberEpoch !== STATIC_LEFT) {
        return fail(ErrorCode.UNRELEASED_INSTANCE_ID, `Static member with instance id ${req.instanceId} re-joins the consumer group but the previous member id ${previous.memberId} is still in use.`);
      }
      if (!previous && group.members.size >= this.opts.maxGroupSize) {
        return fail(ErrorCode.GROUP_MAX_SIZE_REACHED, `The consumer group has reached its maximum capacity of ${this.opts.maxGroupSize} members.`);
      }
      member = newMember(memberId, req);
      group.members.set(memberId, member);
      if (previous) {
        this.takeOver(group, previous, member);
        isNew = false;
      }
    } else if (!joining) {
      const fenced = epochError(member, req.memberEpoch, owned);
      if (fenced) return fail(ErrorCode.FENCED_MEMBER_EPOCH, fenced);
    }
    const before = copyAssignment(member.assigned);
    const subscriptionChanged = update(member, req) || isNew;
    // One bump for a changed subscription or changed subscribed topics (created, grown).
    if (this.refreshSubscription(group) || subscriptionChanged) group.groupEpoch += 1;
    if (group.groupEpoch > group.assignmentEpoch) this.computeTargets(group);
    reconcile(group, member, owned);
    this.afterReconcile(group, member);
    this.scheduleSession(group, member);
    const full = joining || (req.rebalanceTimeoutMs !== -1 && req.subscribedTopicNames !== null && req.topicPartitions !== null);
    const changed = !sameAssignment(before, member.assigned);
    return {
      kind: 'ok',
      memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs,
      assignment: full || changed ? fromAssignment(member.assigned) : null,
    };
  }

  private invalidRequest(req: ConsumerHeartbeat): string | null {
    if (req.groupId === '') return 'GroupId can\'t be empty.';
    if (req.rackId === '') return 'RackId can\'t be empty.';
    if (req.instanceId === '') return 'InstanceId can\'t be empty.';
    if (req.memberEpoch === 0) {
      if (req.rebalanceTimeoutMs === -1) return 'RebalanceTimeoutMs must be provided in first request.';
      if (req.topicPartitions === null || req.topicPartitions.length > 0) return 'TopicPartitions must be empty when (re-)joining.';
      if (req.subscribedTopicNames === null && req.subscribedTopicRegex === null) {
        return 'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.';
      }
    } else if (req.memberId === '') return 'MemberId can\'t be empty.';
    if (req.subscribedTopicRegex !== null && compileRegex(req.subscribedTopicRegex) === null) {
      return `SubscribedTopicRegex ${req.subscribedTopicRegex} is not a valid regular expression.`;
    }
    return null;
  }

  /** Whether the subscribed topics (names, ids, partition counts) changed since last asked. */
  private refreshSubscription(group: ConsumerGroup): boolean {
    const key = [...this.subscribedTopics(group)].map((t) => `${t.name}/${t.id}/${t.partitions.length}`).sort().join(',');
    if (key === group.subscriptionKey) return false;
    group.subscriptionKey = key;
    return true;
  }

  private subscribedTopics(group: ConsumerGroup, only?: ConsumerMember) {
    const names = new Set<string>();
    const regexes: RegExp[] = [];
    for (const m of only ? [only] : group.members.values()) {
      for (const n of m.subscribedTopicNames) names.add(n);
      const re = m.subscribedTopicRegex === null ? null : compileRegex(m.subscribedTopicRegex);
      if (re) regexes.push(re);
    }
    return this.opts.topics.list().filter((t) => names.has(t.name) || regexes.some((re) => re.test(t.name)));
  }

  private computeTargets(group: ConsumerGroup): void {
    const members = [...group.members.values()];
    const partitions = new Map<string, number>();
    for (const t of this.subscribedTopics(group)) partitions.set(t.id, t.partitions.length);
    const votes = new Map<string, number>();
    for (const m of members) if (m.serverAssignor) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
    group.assignorName = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? DEFAULT_ASSIGNOR;
    const assign = assignors.get(group.assignorName)!;
    const targets = assign({
      members: members.map((m) => ({
        memberId: m.memberId,
        topicIds: new Set(this.subscribedTopics(group, m).map((t) => t.id)),
        current: group.target.get(m.memberId) ?? new Map(),
      })),
      partitions,
    });
    group.target.clear();
    for (const [id, a] of targets) group.target.set(id, a);
    group.assignmentEpoch = group.groupEpoch;
  }

  /** A member left revoking gets its rebalance timeout; finishing in time cancels it. */
  private afterReconcile(group: ConsumerGroup, member: ConsumerMember): void {
    if (member.state !== 'unrevoked') {
      member.cancelRebalance?.();
      member.cancelRebalance = null;
      return;
    }
    if (member.cancelRebalance) return;
    const epoch = member.memberEpoch;
    member.cancelRebalance = this.clock.schedule(member.rebalanceTimeoutMs, () => {
      member.cancelRebalance = null;
      if (group.members.get(member.memberId) === member && member.state === 'unrevoked' && member.memberEpoch === epoch) {
        this.removeMember(group, member);
      }
    });
  }

  private scheduleSession(group: ConsumerGroup, member: ConsumerMember): void {
    member.cancelSession?.();
    member.cancelSession = this.clock.schedule(this.opts.sessionTimeoutMs, () => {
      member.cancelSession = null;
      if (group.members.get(member.memberId) === member) this.removeMember(group, member);
    });
  }

  /** The member's partitions are free at once; the others learn the new targets on their next heartbeat. */
  protected removeMember(group: ConsumerGroup, member: ConsumerMember): void {
    member.cancelSession?.();
    member.cancelRebalance?.();
    group.releaseAll(member);
    group.members.delete(member.memberId);
    group.target.delete(member.memberId);
    this.refreshSubscription(group);
    group.groupEpoch += 1;
  }

  /**
   * A static member coming back under a new member id (KIP-345 for KIP-848) takes over the
   * assignment and target of the one that left with epoch -2: no rebalance.
   */
  private takeOver(group: ConsumerGroup, previous: ConsumerMember, member: ConsumerMember): void {
    member.subscribedTopicNames = previous.subscribedTopicNames;
    member.subscribedTopicRegex = previous.subscribedTopicRegex;
    member.serverAssignor = previous.serverAssignor;
    const { assigned, pendingRevocation } = previous;
    const target = group.target.get(previous.memberId);
    previous.cancelSession?.();
    previous.cancelRebalance?.();
    group.releaseAll(previous);
    group.members.delete(previous.memberId);
    group.target.delete(previous.memberId);
    if (target) group.target.set(member.memberId, target);
    group.setOwnership(member, assigned, pendingRevocation);
  }

  private leave(groupId: string, memberId: string, epoch: number): HeartbeatResult {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${groupId}.`);
    if (epoch === STATIC_LEFT && member.instanceId !== null) {
      // A static member leaving to come back keeps its partitions until its session times out.
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = STATIC_LEFT;
      return { kind: 'ok', memberId, memberEpoch: epoch, heartbeatIntervalMs: 0, assignment: null };
    }
    this.removeMember(group, member);
    return { kind: 'ok', memberId, memberEpoch: epoch, heartbeatIntervalMs: 0, assignment: null };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) {
        m.cancelSession?.();
        m.cancelRebalance?.();
      }
    }
    this.groups.clear();
  }
}

function newMember(memberId: string, req: ConsumerHeartbeat): ConsumerMember {
  return {
    memberId, instanceId: null, rackId: null, clientId: req.clientId, clientHost: req.clientHost,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs, subscribedTopicNames: [], subscribedTopicRegex: null,
    serverAssignor: null, state: 'stable', memberEpoch: 0, previousMemberEpoch: 0,
    assigned: new Map(), pendingRevocation: new Map(), cancelSession: null, cancelRebalance: null,
  };
}

/** Applies the heartbeat's changed fields; true when the subscription changed. */
function update(m: ConsumerMember, req: ConsumerHeartbeat): boolean {
  let changed = false;
  if (req.instanceId !== null) m.instanceId = req.instanceId;
  if (req.rackId !== null) m.rackId = req.rackId;
  if (req.rebalanceTimeoutMs !== -1) m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  m.clientId = req.clientId;
  m.clientHost = req.clientHost;
  if (req.subscribedTopicNames !== null) {
    const next = [...new Set(req.subscribedTopicNames)].sort();
    if (next.join('\u0000') !== m.subscribedTopicNames.join('\u0000')) changed = true;
    m.subscribedTopicNames = next;
  }
  if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== m.subscribedTopicRegex) {
    // An empty regex clears the regex subscription.
    m.subscribedTopicRegex = req.subscribedTopicRegex === '' ? null : req.subscribedTopicRegex;
    changed = true;
  }
  if (req.serverAssignor !== null && req.serverAssignor !== m.serverAssignor) {
    m.serverAssignor = req.serverAssignor;
    changed = true;
  }
  return changed;
}

/**
 * Kafka's epoch check: a newer epoch than ours, or an older one that is not the previous
 * epoch with owned partitions inside the current assignment (a lost response), is fenced.
 */
function epochError(m: ConsumerMember, received: number, owned: Owned): string | null {
  const msg = `The consumer group member has a ${received > m.memberEpoch ? 'greater' : 'smaller'} member epoch (${received}) than the one known by the group coordinator (${m.memberEpoch}). The member must abandon all its partitions and rejoin.`;
  if (received > m.memberEpoch) return msg;
  if (received < m.memberEpoch) {
    if (received !== m.previousMemberEpoch || owned === null) return msg;
    for (const [t, ps] of owned) for (const p of ps) if (!m.assigned.get(t)?.has(p)) return msg;
  }
  return null;
}

/** Kafka matches the whole topic name (RE2J); JavaScript's RegExp is close for common patterns. */
export function compileRegex(source: string): RegExp | null {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return null;
  }
}

/**
 * A member id for a v0 client that sent none, in the form of Kafka's Uuid.toString: 16 random
 * bytes in URL-safe base64 without padding, never starting with '-' (Kafka redraws those).
 */
function kafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
