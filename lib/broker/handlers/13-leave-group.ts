// LeaveGroup (13), v0–v3. v1 adds throttle_time_ms; v2 = v1; v3 (KIP-345) takes a list of
// members (member_id, group_instance_id) and answers per member; v4+ is flexible.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import type { LeaveGroupResult, MemberIdentity } from '../groups/types.ts';
import { defineHandler } from './types.ts';

export interface LeaveGroupWireRequest { groupId: string; members: MemberIdentity[] }
export interface LeaveGroupResponse { throttleTimeMs: number; result: LeaveGroupResult }

export const leaveGroup = defineHandler<LeaveGroupWireRequest, LeaveGroupResponse>({
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r, v) {
    const groupId = r.string();
    if (v < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
    return { groupId, members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) };
  },
  encodeResponse(w, v, { throttleTimeMs, result }) {
    if (v >= 1) w.int32(throttleTimeMs);
    if (v < 3) {
      // One member per request before v3: its error is the response's error.
      const only = result.members[0]?.errorCode ?? ErrorCode.NONE;
      w.int16(result.errorCode !== ErrorCode.NONE ? result.errorCode : only);
      return;
    }
    w.int16(result.errorCode);
    w.array(result.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
  },
  handle: (req, { broker }) => ({ throttleTimeMs: 0, result: groupCoordinator(broker).leave(req.groupId, req.members) }),
});
