import kafkajs from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';
import type { Subtopology } from '../streams/internal/compile.ts';
import { assignTasks, taskId, type MemberInfo } from './assignment.ts';

const { AssignerProtocol } = kafkajs;
export const ASSIGNOR_NAME = 'modelstream';

/** What the assignor needs from this instance when it describes itself to the group. */
export interface AssignorHooks {
  readonly applicationServer: string | undefined;
  ownedTasks(): string[];
  localTasks(): string[];
}

/** The userData each member's assignment carries: its tasks, so any instance can map keys to hosts. */
export interface AssignmentUserData {
  readonly tasks: string[];
}

/**
 * A kafkajs partition assigner that assigns tasks, not partitions: co-partitioned topics of a
 * sub-topology go to one member together, and each member advertises its `application.server`.
 */
export function streamsAssigner(subtopologies: readonly Subtopology[], hooks: AssignorHooks): PartitionAssigner {
  return ({ cluster }) => ({
    name: ASSIGNOR_NAME,
    version: 1,
    protocol({ topics }) {
      const info = { applicationServer: hooks.applicationServer, previousTasks: hooks.ownedTasks(), localTasks: hooks.localTasks() };
      return {
        name: ASSIGNOR_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.from(JSON.stringify(info)) }),
      };
    },
    async assign({ members }) {
      const infos: MemberInfo[] = members.map((m) => ({ memberId: m.memberId, ...decodeMemberInfo(m.memberMetadata) }));
      const tasks: { id: string; topics: string[]; partition: number }[] = [];
      const counts = new Map<string, number>();
      for (const sub of subtopologies) {
        for (const topic of sub.sourceTopics) counts.set(topic, cluster.findTopicPartitionMetadata(topic).length);
        const n = Math.max(0, ...sub.sourceTopics.map((t) => counts.get(t)!));
        for (let p = 0; p < n; p++) tasks.push({ id: taskId(sub.id, p), topics: [...sub.sourceTopics], partition: p });
      }
      const byId = new Map(tasks.map((t) => [t.id, t]));
      const plan = assignTasks(infos, tasks.map((t) => t.id));
      return [...plan].map(([memberId, ids]) => {
        const assignment: { [topic: string]: number[] } = {};
        for (const id of ids) {
          const task = byId.get(id)!;
          for (const topic of task.topics) {
            if (task.partition < counts.get(topic)!) (assignment[topic] ??= []).push(task.partition);
          }
        }
        const userData: AssignmentUserData = { tasks: ids };
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.from(JSON.stringify(userData)) }),
        };
      });
    },
  });
}

export function decodeMemberInfo(metadata: Buffer): Omit<MemberInfo, 'memberId'> {
  const decoded = AssignerProtocol.MemberMetadata.decode(metadata);
  try {
    const info = JSON.parse(decoded?.userData?.toString() || '{}') as Partial<MemberInfo>;
    return { applicationServer: info.applicationServer, previousTasks: info.previousTasks ?? [], localTasks: info.localTasks ?? [] };
  } catch {
    return { previousTasks: [], localTasks: [] };
  }
}

export function decodeAssignment(raw: Buffer): { assignment: { [topic: string]: number[] }; tasks: string[] } {
  const decoded = AssignerProtocol.MemberAssignment.decode(raw);
  if (!decoded) return { assignment: {}, tasks: [] };
  let tasks: string[] = [];
  try { tasks = (JSON.parse(decoded.userData?.toString() || '{}') as Partial<AssignmentUserData>).tasks ?? []; } catch { /* foreign assignor */ }
  return { assignment: decoded.assignment, tasks };
}
