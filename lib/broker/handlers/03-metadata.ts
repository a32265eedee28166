// Metadata (3), v0–v13. v1: rack, controller_id, is_internal, null topics = all (v0: empty
// = all); v2: cluster_id; v3: throttle_time_ms; v4: allow_auto_topic_creation; v5:
// offline_replicas; v6 = v5; v7: leader_epoch; v8: authorized operations on request (cluster
// ones until v10); v9 flexible; v10: topic ids in the response; v12: topics asked by id (name
// null), unknown ids answer UNKNOWN_TOPIC_ID; v13 adds a top-level error code, which only a
// broker asking clients to rebootstrap sets (KIP-1102), so ours is always 0. One node (ours)
// leads every partition; no ACLs, so every operation is authorized.
import { ErrorCode } from '../protocol/errors.ts';
import type { Writer } from '../protocol/writer.ts';
import { topicNameProblem, type Topic } from '../storage/topic-store.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

/** Kafka's "not requested" value for authorized operations. */
const OPS_NOT_REQUESTED = -2147483648;
// AclOperation codes (READ 3 … ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12) as a bit set.
const bits = (...codes: number[]) => codes.reduce((a, c) => a | (1 << c), 0);
const TOPIC_OPS = bits(3, 4, 5, 6, 7, 8, 10, 11);
const CLUSTER_OPS = bits(5, 7, 8, 9, 10, 11, 12);
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** A topic asked for: by name, or from v12 by id (name null). */
export interface MetadataTopicRequest { topicId: string; name: string | null }
export interface MetadataRequest {
  /** null = all topics. */
  topics: MetadataTopicRequest[] | null;
  allowAutoTopicCreation: boolean;
  includeClusterAuthorizedOperations: boolean;
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataPartition { errorCode: number; partition: number; leader: number; leaderEpoch: number; replicas: number[]; isr: number[]; offline: number[] }
export interface MetadataTopic {
  errorCode: number;
  name: string | null;
  topicId: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
  authorizedOperations: number;
}
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
  clusterAuthorizedOperations: number;
}

export function describeTopic(broker: BrokerState, t: Topic, authorizedOperations = OPS_NOT_REQUESTED): MetadataTopic {
  const id = broker.node.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: t.name.startsWith('__'),
    // The leader never changes, so there is no leader epoch to report (-1 = unknown).
    partitions: t.partitions.map((_, p) => ({ errorCode: 0, partition: p, leader: id, leaderEpoch: -1, replicas: [id], isr: [id], offline: [] })),
    authorizedOperations,
  };
}

const missing = (errorCode: number, name: string | null, topicId = ZERO_UUID): MetadataTopic =>
  ({ errorCode, name, topicId, isInternal: false, partitions: [], authorizedOperations: OPS_NOT_REQUESTED });

function int32s(w: Writer, ns: readonly number[], flex: boolean): void {
  w.array(ns, (w, n) => w.int32(n), flex);
}

export const metadata = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 13,
  firstFlexibleVersion: 9,
  decodeRequest(r, v) {
    const flex = v >= 9;
    let topics = r.nullableArray((r) => {
      const topicId = v >= 10 ? r.uuid() : ZERO_UUID;
      const name = v >= 10 ? r.nullableString(flex) : r.string(flex);
      if (flex) r.taggedFields();
      return { topicId, name };
    }, flex);
    if (v === 0 && topics !== null && topics.length === 0) topics = null;
    const allowAutoTopicCreation = v >= 4 ? r.boolean() : true;
    const includeClusterAuthorizedOperations = v >= 8 && v <= 10 ? r.boolean() : false;
    const includeTopicAuthorizedOperations = v >= 8 ? r.boolean() : false;
    if (flex) r.taggedFields();
    return { topics, allowAutoTopicCreation, includeClusterAuthorizedOperations, includeTopicAuthorizedOperations };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 9;
    if (v >= 3) w.int32(res.throttleTimeMs);
    w.array(res.brokers, (w, b) => {
      w.int32(b.nodeId).string(b.host, flex).int32(b.port);
      if (v >= 1) w.nullableString(b.rack, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (v >= 2) w.nullableString(res.clusterId, flex);
    if (v >= 1) w.int32(res.controllerId);
    w.array(res.topics, (w, t) => {
      w.int16(t.errorCode);
      if (v >= 12) w.nullableString(t.name, flex);
      else w.string(t.name ?? '', flex);
      if (v >= 10) w.uuid(t.topicId);
      if (v >= 1) w.boolean(t.isInternal);
      w.array(t.partitions, (w, p) => {
        w.int16(p.errorCode).int32(p.partition).int32(p.leader);
        if (v >= 7) w.int32(p.leaderEpoch);
        int32s(w, p.replicas, flex);
        int32s(w, p.isr, flex);
        if (v >= 5) int32s(w, p.offline, flex);
        if (flex) w.taggedFields();
      }, flex);
      if (v >= 8) w.int32(t.authorizedOperations);
      if (flex) w.taggedFields();
    }, flex);
    if (v >= 8 && v <= 10) w.int32(res.clusterAuthorizedOperations);
    if (v >= 13) w.int16(ErrorCode.NONE);
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const { node, topics: store, config } = broker;
    const ops = req.includeTopicAuthorizedOperations ? TOPIC_OPS : OPS_NOT_REQUESTED;
    let topics: MetadataTopic[];
    if (req.topics === null) {
      topics = store.list().map((t) => describeTopic(broker, t, ops));
    } else {
      topics = req.topics.map(({ topicId, name }) => {
        if (name === null) {
          // Asked by id (v12): no auto-creation, as Kafka.
          const t = version >= 12 ? store.getById(topicId) : undefined;
          return t ? describeTopic(broker, t, ops) : missing(ErrorCode.UNKNOWN_TOPIC_ID, null, topicId);
        }
        let t = store.get(name);
        if (!t && config.autoCreateTopics && req.allowAutoTopicCreation && !topicNameProblem(name)) {
          const created = store.create(name, config.defaultPartitions);
          if (created.kind === 'created') t = created.topic;
        }
        if (t) return describeTopic(broker, t, ops);
        return missing(topicNameProblem(name) ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
      });
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: node.rack }],
      clusterId: broker.clusterId,
      controllerId: node.nodeId,
      topics,
      clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? CLUSTER_OPS : OPS_NOT_REQUESTED,
    };
  },
});
