import type { Admin } from 'kafkajs';
import type { CompiledTopology } from '../streams/internal/compile.ts';
import { decodeAssignment, decodeMemberInfo } from './assignor.ts';
import { compareTaskIds, parseTaskId } from './assignment.ts';

export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** One instance of the application, as every instance sees it (Kafka Streams' StreamsMetadata). */
export interface StreamsMetadata extends HostInfo {
  readonly storeNames: readonly string[];
  readonly topicPartitions: readonly { readonly topic: string; readonly partition: number }[];
  readonly tasks: readonly string[];
}

export interface KeyQueryMetadata {
  readonly activeHost: HostInfo;
  readonly partition: number;
}

/** Reads the group's members and assignments back from the coordinator, after each rebalance. */
export async function fetchGroupMetadata(admin: Admin, groupId: string, compiled: CompiledTopology): Promise<StreamsMetadata[] | undefined> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group || group.state !== 'Stable') return undefined;
  const globalNames = compiled.globalStores.map((g) => g.builder.name);
  // The stream threads of one instance are members that share its applicationServer: one entry.
  const byHost = new Map<string, { host: string; port: number; tasks: string[]; storeNames: Set<string>; topicPartitions: { topic: string; partition: number }[] }>();
  for (const member of group.members) {
    const info = decodeMemberInfo(member.memberMetadata);
    if (!info.applicationServer) continue;
    const { assignment, tasks } = decodeAssignment(member.memberAssignment);
    const [host, port] = splitHostPort(info.applicationServer);
    let entry = byHost.get(info.applicationServer);
    if (!entry) byHost.set(info.applicationServer, (entry = { host, port, tasks: [], storeNames: new Set(globalNames), topicPartitions: [] }));
    entry.tasks.push(...tasks);
    for (const t of tasks) for (const s of compiled.subtopologies[parseTaskId(t).subtopology]?.storeNames ?? []) entry.storeNames.add(s);
    entry.topicPartitions.push(...Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))));
  }
  const out: StreamsMetadata[] = [...byHost.values()].map((e) => ({
    host: e.host, port: e.port,
    tasks: e.tasks.sort(compareTaskIds),
    storeNames: [...e.storeNames].sort(),
    topicPartitions: e.topicPartitions.sort((a, b) => a.topic === b.topic ? a.partition - b.partition : a.topic.localeCompare(b.topic)),
  }));
  return out.sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`));
}

export function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

