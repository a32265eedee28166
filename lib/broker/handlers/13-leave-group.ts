// LeaveGroup (13), v0–v5. v1 adds throttle_time_ms; v2 = v1; v3 (KIP-345) takes a list of
// members (member_id, group_instance_id) and answers per member; v4 is flexible; v5 adds a
// per-member reason (KIP-800), which is logged by Kafka and ignored here.
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
  maxVersion: 5,
  firstFlexibleVersion: 4,
  decodeRequest(r, v) {
    const flex = v >= 4;
    const groupId = r.string(flex);
    if (v < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
    const members = r.array((r) => {
      const m = { memberId: r.string(flex), groupInstanceId: r.nullableString(flex) };
      if (v >= 5) r.compactNullableString(); // reason
      if (flex) r.taggedFields();
      return m;
    }, flex);
    if (flex) r.taggedFields();
    return { groupId, members };
  },
  encodeResponse(w, v, { throttleTimeMs, result }) {
    const flex = v >= 4;
    if (v >= 1) w.int32(throttleTimeMs);
    if (v < 3) {
      // One member per request before v3: its error is the response's error.
      const only = result.members[0]?.errorCode ?? ErrorCode.NONE;
      w.int16(result.errorCode !== ErrorCode.NONE ? result.errorCode : only);
      return;
    }
    w.int16(result.errorCode);
    w.array(result.members, (w, m) => {
      w.string(m.memberId, flex).nullableString(m.groupInstanceId, flex).int16(m.errorCode);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  handle: (req, { broker }) => ({ throttleTimeMs: 0, result: groupCoordinator(broker).leave(req.groupId, req.members) }),
});
