// JoinGroup (11), v0–v5. v1 adds rebalance_timeout_ms (v0: the session timeout); v2 adds
// throttle_time_ms; v3 = v2; v4: a first join gets MEMBER_ID_REQUIRED (KIP-394); v5 adds
// group_instance_id (KIP-345). The response waits until the group's join phase completes.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
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
  protocolName: string;
  leader: string;
  memberId: string;
  members: readonly JoinedMember[];
}

export const joinGroup = defineHandler<JoinGroupWireRequest, JoinGroupResponse>({
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  decodeRequest(r, v) {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = v >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((r) => ({ name: r.string(), metadata: r.bytes() }));
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
  },
  encodeResponse(w, v, res) {
    if (v >= 2) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
    w.array(res.members, (w, m) => {
      w.string(m.memberId);
      if (v >= 5) w.nullableString(m.groupInstanceId);
      w.bytes(m.metadata);
    });
  },
  async handle(req, ctx) {
    const r = await groupCoordinator(ctx.broker).join({
      ...req,
      clientId: ctx.header.clientId ?? '',
      // The handler context carries no peer address; DescribeGroups shows an empty client host.
      clientHost: '',
      requireKnownMemberId: ctx.version >= 4,
    });
    if (r.kind === 'error') {
      return { throttleTimeMs: 0, errorCode: r.errorCode, generationId: -1, protocolName: '', leader: '', memberId: r.memberId, members: [] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      generationId: r.generationId,
      protocolName: r.protocolName ?? '',
      leader: r.leaderId,
      memberId: r.memberId,
      members: r.members,
    };
  },
});
