// JoinGroup (11), v0–v9. v1 adds rebalance_timeout_ms (v0: the session timeout); v2 adds
// throttle_time_ms; v3 = v2; v4: a first join gets MEMBER_ID_REQUIRED (KIP-394); v5 adds
// group_instance_id (KIP-345); v6 is flexible; v7 answers protocol_type (KIP-559) and a
// nullable protocol_name; v8 adds a reason (KIP-800, ignored); v9 answers skip_assignment,
// always false (the leader assigns). The response waits until the group's join phase completes.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import type { GroupProtocol, JoinedMember } from '../groups/types.ts';
import { defineHandler } from './types.ts';

export interface JoinGroupWireRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
}
export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  /** Sent from v7; null on errors. */
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: readonly JoinedMember[];
}

export const joinGroup = defineHandler<JoinGroupWireRequest, JoinGroupResponse>({
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  decodeRequest(r, v) {
    const flex = v >= 6;
    const groupId = r.string(flex);
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string(flex);
    const groupInstanceId = v >= 5 ? r.nullableString(flex) : null;
    const protocolType = r.string(flex);
    const protocols = r.array((r) => {
      const p = { name: r.string(flex), metadata: r.bytes(flex) };
      if (flex) r.taggedFields();
      return p;
    }, flex);
    if (v >= 8) r.compactNullableString(); // reason
    if (flex) r.taggedFields();
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 6;
    if (v >= 2) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode).int32(res.generationId);
    if (v >= 7) w.compactNullableString(res.protocolType).compactNullableString(res.protocolName);
    else w.string(res.protocolName ?? '', flex);
    w.string(res.leader, flex);
    if (v >= 9) w.boolean(false); // skip_assignment
    w.string(res.memberId, flex);
    w.array(res.members, (w, m) => {
      w.string(m.memberId, flex);
      if (v >= 5) w.nullableString(m.groupInstanceId, flex);
      w.bytes(m.metadata, flex);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, ctx) {
    // A consumer group (KIP-848) with members keeps classic members out, as Kafka does with
    // group.consumer.migration.policy=disabled; an empty one becomes a classic group.
    const r = !consumerGroups(ctx.broker).yieldToClassic(req.groupId)
      ? { kind: 'error' as const, errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId: req.memberId }
      : await groupCoordinator(ctx.broker).join({
      ...req,
      clientId: ctx.header.clientId ?? '',
      clientHost: ctx.session.clientHost,
      requireKnownMemberId: ctx.version >= 4,
    });
    if (r.kind === 'error') {
      return {
        throttleTimeMs: 0, errorCode: r.errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: r.memberId, members: [],
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      generationId: r.generationId,
      protocolType: r.protocolType,
      protocolName: r.protocolName,
      leader: r.leaderId,
      memberId: r.memberId,
      members: r.members,
    };
  },
});
