// ConsumerGroupDescribe (69), v0–v1, flexible from v0 (KIP-848): a consumer group's epochs,
// assignor, and each member's subscription, current and target assignment (topic ids and
// names). v1 adds member_type (1 = a consumer-protocol member). A classic or unknown group
// answers GROUP_ID_NOT_FOUND, which sends Kafka's admin client on to DescribeGroups.
import type { ConsumerGroupDescription, DescribedConsumerMember } from '../groups/consumer/admin.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import type { TopicPartitions } from '../groups/consumer/coordinator.ts';
import { groupCoordinator } from '../groups/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Writer } from '../protocol/writer.ts';
import type { BrokerState } from '../state.ts';
import { defineHandler } from './types.ts';

export interface ConsumerGroupDescribeRequest { groupIds: string[]; includeAuthorizedOperations: boolean }
export interface NamedTopicPartitions extends TopicPartitions { readonly topicName: string }
export type DescribedMember = Omit<DescribedConsumerMember, 'assignment' | 'targetAssignment'> & {
  readonly assignment: readonly NamedTopicPartitions[];
  readonly targetAssignment: readonly NamedTopicPartitions[];
};
export type DescribedGroup =
  | (Omit<Extract<ConsumerGroupDescription, { kind: 'group' }>, 'members'> & { readonly members: readonly DescribedMember[] })
  | Extract<ConsumerGroupDescription, { kind: 'error' }>;
export interface ConsumerGroupDescribeResponse { throttleTimeMs: number; groups: DescribedGroup[] }

/** authorized_operations when not asked for (Kafka's INT32_MIN sentinel). */
const OPERATIONS_OMITTED = -2147483648;
const CONSUMER_MEMBER = 1;

function writeAssignment(w: Writer, tps: readonly NamedTopicPartitions[]): void {
  w.compactArray(tps, (w, t) => {
    w.uuid(t.topicId).compactString(t.topicName).compactArray(t.partitions, (w, p) => w.int32(p)).taggedFields();
  });
  w.taggedFields();
}

function named(broker: BrokerState, tps: readonly TopicPartitions[]): NamedTopicPartitions[] {
  return tps.flatMap((t) => {
    const topic = broker.topics.getById(t.topicId);
    return topic ? [{ ...t, topicName: topic.name }] : [];
  });
}

export const consumerGroupDescribe = defineHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>({
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  decodeRequest(r) {
    const req = { groupIds: r.compactArray((r) => r.compactString()), includeAuthorizedOperations: r.boolean() };
    r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs);
    w.compactArray(res.groups, (w, g) => {
      if (g.kind === 'error') {
        w.int16(g.errorCode).compactNullableString(g.errorMessage).compactString(g.groupId).compactString('')
          .int32(-1).int32(-1).compactString('').compactArray([], () => {});
      } else {
        w.int16(ErrorCode.NONE).compactNullableString(null).compactString(g.groupId).compactString(g.state)
          .int32(g.groupEpoch).int32(g.assignmentEpoch).compactString(g.assignorName);
        w.compactArray(g.members, (w, m) => {
          w.compactString(m.memberId).compactNullableString(m.instanceId).compactNullableString(m.rackId)
            .int32(m.memberEpoch).compactString(m.clientId).compactString(m.clientHost)
            .compactArray(m.subscribedTopicNames, (w, n) => w.compactString(n)).compactNullableString(m.subscribedTopicRegex);
          writeAssignment(w, m.assignment);
          writeAssignment(w, m.targetAssignment);
          if (v >= 1) w.int8(CONSUMER_MEMBER);
          w.taggedFields();
        });
      }
      w.int32(OPERATIONS_OMITTED).taggedFields();
    });
    w.taggedFields();
  },
  handle(req, { broker }) {
    const classic = groupCoordinator(broker);
    const service = consumerGroups(broker);
    return {
      throttleTimeMs: 0,
      groups: req.groupIds.map((id): DescribedGroup => {
        const d = service.describe(id, classic.classicGroupKind(id) !== 'none');
        if (d.kind === 'error') return d;
        return {
          ...d,
          members: d.members.map((m) => ({ ...m, assignment: named(broker, m.assignment), targetAssignment: named(broker, m.targetAssignment) })),
        };
      }),
    };
  },
});
