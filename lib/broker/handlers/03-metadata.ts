// Metadata (3), v0–v6. v1: rack, controller_id, is_internal, null topics = all (v0: empty
// = all); v2: cluster_id; v3: throttle_time_ms; v4: allow_auto_topic_creation; v5:
// offline_replicas per partition; v6 = v5. One node (ours) leads every partition.
import { ErrorCode } from '../protocol/errors.ts';
import { topicNameProblem, type Topic } from '../storage/topic-store.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

export interface MetadataRequest {
  /** null = all topics. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataPartition { errorCode: number; partition: number; leader: number; replicas: number[]; isr: number[]; offline: number[] }
export interface MetadataTopic { errorCode: number; name: string; isInternal: boolean; partitions: MetadataPartition[] }
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

export function describeTopic(broker: BrokerState, t: Topic): MetadataTopic {
  const id = broker.node.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    isInternal: t.name.startsWith('__'),
    partitions: t.partitions.map((_, p) => ({ errorCode: 0, partition: p, leader: id, replicas: [id], isr: [id], offline: [] })),
  };
}

export const metadata = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  decodeRequest(r, version) {
    let topics = r.nullableArray((r) => r.string());
    if (version === 0 && topics !== null && topics.length === 0) topics = null;
    const allowAutoTopicCreation = version >= 4 ? r.boolean() : true;
    return { topics, allowAutoTopicCreation };
  },
  encodeResponse(w, version, res) {
    if (version >= 3) w.int32(res.throttleTimeMs);
    w.array(res.brokers, (w, b) => {
      w.int32(b.nodeId).string(b.host).int32(b.port);
      if (version >= 1) w.nullableString(b.rack);
    });
    if (version >= 2) w.nullableString(res.clusterId);
    if (version >= 1) w.int32(res.controllerId);
    w.array(res.topics, (w, t) => {
      w.int16(t.errorCode).string(t.name);
      if (version >= 1) w.boolean(t.isInternal);
      w.array(t.partitions, (w, p) => {
        w.int16(p.errorCode).int32(p.partition).int32(p.leader);
        w.array(p.replicas, (w, n) => w.int32(n));
        w.array(p.isr, (w, n) => w.int32(n));
        if (version >= 5) w.array(p.offline, (w, n) => w.int32(n));
      });
    });
  },
  handle(req, { broker }) {
    const { node, topics: store, config } = broker;
    let topics: MetadataTopic[];
    if (req.topics === null) {
      topics = store.list().map((t) => describeTopic(broker, t));
    } else {
      topics = req.topics.map((name) => {
        let t = store.get(name);
        if (!t && config.autoCreateTopics && req.allowAutoTopicCreation && !topicNameProblem(name)) {
          const created = store.create(name, config.defaultPartitions);
          if (created.kind === 'created') t = created.topic;
        }
        if (t) return describeTopic(broker, t);
        const errorCode = topicNameProblem(name) ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        return { errorCode, name, isInternal: false, partitions: [] };
      });
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: node.rack }],
      clusterId: broker.clusterId,
      controllerId: node.nodeId,
      topics,
    };
  },
});
