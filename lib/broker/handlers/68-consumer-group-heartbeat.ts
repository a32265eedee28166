// ConsumerGroupHeartbeat (68), v0–v1, flexible from v0 (KIP-848): joins (epoch 0), keeps
// alive, acknowledges revocations and leaves (epoch -1 / -2) a consumer group; the answer
// carries the member epoch and, when it changed, the assignment. v1 adds
// subscribed_topic_regex and member ids chosen by the client (v0: by us when empty).
import { consumerGroups } from '../groups/consumer/service.ts';
import type { ConsumerHeartbeat, TopicPartitions } from '../groups/consumer/coordinator.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import { defineHandler } from './types.ts';

export type ConsumerGroupHeartbeatRequest = Omit<ConsumerHeartbeat, 'clientId' | 'clientHost'>;
export interface ConsumerGroupHeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: TopicPartitions[] | null;
}

function readTopicPartitions(r: Reader): TopicPartitions {
  const tp = { topicId: r.uuid(), partitions: r.compactArray((r) => r.int32()) };
  r.taggedFields();
  return tp;
}

export function writeTopicPartitions(w: Writer, tps: readonly TopicPartitions[]): void {
  w.compactArray(tps, (w, t) => {
    w.uuid(t.topicId).compactArray(t.partitions, (w, p) => w.int32(p)).taggedFields();
  });
}

export const consumerGroupHeartbeat = defineHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>({
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  decodeRequest(r, v) {
    const req: ConsumerGroupHeartbeatRequest = {
      groupId: r.compactString(),
      memberId: r.compactString(),
      memberEpoch: r.int32(),
      instanceId: r.compactNullableString(),
      rackId: r.compactNullableString(),
      rebalanceTimeoutMs: r.int32(),
      subscribedTopicNames: r.compactNullableArray((r) => r.compactString()),
      subscribedTopicRegex: v >= 1 ? r.compactNullableString() : null,
      serverAssignor: r.compactNullableString(),
      topicPartitions: r.compactNullableArray(readTopicPartitions),
    };
    r.taggedFields();
    return req;
  },
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode).compactNullableString(res.errorMessage)
      .compactNullableString(res.memberId).int32(res.memberEpoch).int32(res.heartbeatIntervalMs);
    // A nullable struct: int8 -1 for null, 1 then the fields.
    if (res.assignment === null) w.int8(-1);
    else {
      w.int8(1);
      writeTopicPartitions(w, res.assignment);
      w.taggedFields();
    }
    w.taggedFields();
  },
  // Error answers leave member_id null and member_epoch at the schema's default, 0, as Kafka's do.
  handle(req, ctx) {
    if (ctx.version >= 1 && req.memberId === '') {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'MemberId can\'t be empty.', memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
    }
    const r = consumerGroups(ctx.broker).heartbeat({ ...req, clientId: ctx.header.clientId ?? '', clientHost: ctx.session.clientHost });
    if (r.kind === 'error') {
      return { throttleTimeMs: 0, errorCode: r.errorCode, errorMessage: r.errorMessage, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
    }
    return {
      throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, memberId: r.memberId,
      memberEpoch: r.memberEpoch, heartbeatIntervalMs: r.heartbeatIntervalMs, assignment: r.assignment,
    };
  },
});
