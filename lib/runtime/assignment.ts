/** What each member tells the group leader about itself (the userData of its subscription). */
export interface MemberInfo {
  readonly memberId: string;
  /** `host:port` for interactive queries, if the member serves them. */
  readonly applicationServer?: string;
  /** Tasks the member owned before this rebalance, and tasks it has local state for. */
  readonly previousTasks: readonly string[];
  readonly localTasks: readonly string[];
}

/**
 * Spreads tasks evenly (each member gets floor or ceil of tasks/members), keeping a task with
 * its previous owner, then with a member holding its state, so rebalances move little state.
 */
export function assignTasks(members: readonly MemberInfo[], tasks: readonly string[]): Map<string, string[]> {
  const sorted = [...members].sort((a, b) => a.memberId.localeCompare(b.memberId));
  const result = new Map<string, string[]>(sorted.map((m) => [m.memberId, []]));
  if (sorted.length === 0) return result;
  const base = Math.floor(tasks.length / sorted.length);
  let extra = tasks.length % sorted.length;
  const capacity = new Map<string, number>();
  const hasRoom = (id: string) => result.get(id)!.length < (capacity.get(id) ?? base);
  for (const m of sorted) capacity.set(m.memberId, base);
  const unassigned = new Set(tasks);
  const give = (task: string, id: string) => { result.get(id)!.push(task); unassigned.delete(task); };
  const growIfPossible = (id: string) => {
    if (hasRoom(id)) return true;
    if (extra > 0 && capacity.get(id) === base) { capacity.set(id, base + 1); extra--; return true; }
    return false;
  };
  for (const pick of [(m: MemberInfo) => m.previousTasks, (m: MemberInfo) => m.localTasks]) {
    for (const task of tasks) {
      if (!unassigned.has(task)) continue;
      const owner = sorted.find((m) => pick(m).includes(task) && growIfPossible(m.memberId));
      if (owner) give(task, owner.memberId);
    }
  }
  for (const task of tasks) {
    if (!unassigned.has(task)) continue;
    const target = [...sorted].sort((a, b) => result.get(a.memberId)!.length - result.get(b.memberId)!.length)
      .find((m) => growIfPossible(m.memberId));
    give(task, (target ?? sorted[0]!).memberId);
  }
  for (const list of result.values()) list.sort(compareTaskIds);
  return result;
}

export function compareTaskIds(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number) as [number, number];
  const [sb, pb] = b.split('_').map(Number) as [number, number];
  return sa - sb || pa - pb;
}

export function taskId(subtopology: number, partition: number): string {
  return `${subtopology}_${partition}`;
}

export function parseTaskId(id: string): { subtopology: number; partition: number } {
  const [s, p] = id.split('_').map(Number);
  return { subtopology: s!, partition: p! };
}
