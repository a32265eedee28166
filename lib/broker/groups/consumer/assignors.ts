// Server-side assignors of KIP-848, by the names Kafka gives them: `uniform` (the default:
// balanced counts, members keep what they own where balance allows) and `range` (per topic,
// contiguous ranges to members in member id order, as the classic RangeAssignor).
import type { Assignment } from './types.ts';

export interface AssignorMember {
  readonly memberId: string;
  /** Ids of the existing topics the member subscribes to. */
  readonly topicIds: ReadonlySet<string>;
  /** Its current target, for stickiness. */
  readonly current: Assignment;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  /** Partition count per subscribed topic id. */
  readonly partitions: ReadonlyMap<string, number>;
}

export type Assignor = (input: AssignorInput) => Map<string, Assignment>;

function emptyTargets(members: readonly AssignorMember[]): Map<string, Assignment> {
  return new Map(members.map((m) => [m.memberId, new Map()]));
}

function add(a: Assignment, topicId: string, p: number): void {
  let s = a.get(topicId);
  if (!s) a.set(topicId, (s = new Set()));
  s.add(p);
}

const count = (a: Assignment) => [...a.values()].reduce((n, s) => n + s.size, 0);

export const rangeAssignor: Assignor = ({ members, partitions }) => {
  const out = emptyTargets(members);
  for (const [topicId, n] of partitions) {
    const subs = members.filter((m) => m.topicIds.has(topicId)).map((m) => m.memberId).sort();
    if (subs.length === 0) continue;
    const per = Math.floor(n / subs.length), extra = n % subs.length;
    let next = 0;
    subs.forEach((id, i) => {
      const take = per + (i < extra ? 1 : 0);
      for (let k = 0; k < take; k++) add(out.get(id)!, topicId, next++);
    });
  }
  return out;
};

export const uniformAssignor: Assignor = ({ members, partitions }) => {
  const out = emptyTargets(members);
  const eligible = (topicId: string) => members.filter((m) => m.topicIds.has(topicId));
  const taken = new Set<string>();
  // Keep what each member owns of the still-subscribed partitions.
  for (const m of members) {
    for (const [topicId, ps] of m.current) {
      const n = partitions.get(topicId);
      if (n === undefined || !m.topicIds.has(topicId)) continue;
      for (const p of ps) {
        if (p >= n || taken.has(`${topicId}:${p}`)) continue;
        taken.add(`${topicId}:${p}`);
        add(out.get(m.memberId)!, topicId, p);
      }
    }
  }
  // The rest goes to the eligible member with the fewest partitions (ties: member id order).
  const free: [string, number][] = [];
  for (const [topicId, n] of partitions) for (let p = 0; p < n; p++) if (!taken.has(`${topicId}:${p}`)) free.push([topicId, p]);
  const pick = (cands: readonly AssignorMember[]) => [...cands].sort((a, b) =>
    count(out.get(a.memberId)!) - count(out.get(b.memberId)!) || (a.memberId < b.memberId ? -1 : 1))[0];
  for (const [topicId, p] of free) {
    const m = pick(eligible(topicId));
    if (m) add(out.get(m.memberId)!, topicId, p);
  }
  // Then move partitions from the fullest to an eligible member two or more behind, until even.
  for (let moves = 0; moves < 10_000; moves++) {
    let moved = false;
    const order = [...out].sort((a, b) => count(b[1]) - count(a[1]));
    outer: for (const [fromId, from] of order) {
      for (const [topicId, ps] of from) {
        for (const p of ps) {
          const to = pick(eligible(topicId).filter((c) => c.memberId !== fromId));
          if (!to || count(out.get(to.memberId)!) + 1 >= count(from)) continue;
          ps.delete(p);
          if (ps.size === 0) from.delete(topicId);
          add(out.get(to.memberId)!, topicId, p);
          moved = true;
          break outer;
        }
      }
    }
    if (!moved) break;
  }
  return out;
};

export const assignors: ReadonlyMap<string, Assignor> = new Map([['uniform', uniformAssignor], ['range', rangeAssignor]]);
export const DEFAULT_ASSIGNOR = 'uniform';
