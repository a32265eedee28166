// Shared set-up for the group coordinator tests: a manual clock, predictable member ids and
// a JoinGroup request builder with kafkajs-like defaults.
import { ManualClock } from '../../../lib/broker/groups/clock.ts';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../../../lib/broker/groups/coordinator.ts';
import type { JoinGroupRequest, JoinGroupResult, SyncGroupResult } from '../../../lib/broker/groups/types.ts';

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export function setup(options: GroupCoordinatorOptions = {}) {
  const clock = new ManualClock(1_000_000);
  let n = 0;
  const coordinator = new GroupCoordinator({ clock, newMemberId: (c) => `${c}-${++n}`, ...options });
  return { clock, coordinator };
}

export function joinReq(over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    protocolType: 'consumer',
    protocols: [{ name: 'roundrobin', metadata: bytes('meta') }],
    clientId: 'c',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...over,
  };
}

export type Joined = Extract<JoinGroupResult, { kind: 'joined' }>;

export function joined(r: JoinGroupResult): Joined {
  if (r.kind !== 'joined') throw new Error(`expected a joined result, got error ${r.errorCode}`);
  return r;
}

export function synced(r: SyncGroupResult): Extract<SyncGroupResult, { kind: 'synced' }> {
  if (r.kind !== 'synced') throw new Error(`expected a synced result, got error ${r.errorCode}`);
  return r;
}

/** Whether a promise has settled, after letting pending microtasks run. */
export async function settled<T>(p: Promise<T>): Promise<boolean> {
  let done = false;
  void p.then(() => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
}

/** One member joins an empty group and syncs with `assignment`: the group ends Stable. */
export async function stableSingle(coordinator: GroupCoordinator, assignment = 'a1', over: Partial<JoinGroupRequest> = {}) {
  const j = joined(await coordinator.join(joinReq(over)));
  const s = synced(await coordinator.sync({
    groupId: over.groupId ?? 'g', generationId: j.generationId, memberId: j.memberId, groupInstanceId: null,
    protocolType: null, protocolName: null, assignments: [{ memberId: j.memberId, assignment: bytes(assignment) }],
  }));
  return { join: j, sync: s };
}
