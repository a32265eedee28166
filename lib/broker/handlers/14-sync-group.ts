// SyncGroup (14), v0–v5. v1 adds throttle_time_ms; v2 = v1; v3 adds group_instance_id
// (KIP-345); v4 is flexible; v5 adds protocol type/name both ways (checked against the
// group's: INCONSISTENT_GROUP_PROTOCOL). Followers' responses wait for the leader's assignments.
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface SyncGroupWireRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** null before v5. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Uint8Array }[];
}
export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Uint8Array;
}

const NONE = new Uint8Array(0);

export const syncGroup = defineHandler<SyncGroupWireRequest, SyncGroupResponse>({
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 4,
  decodeRequest(r, v) {
    const flex = v >= 4;
    const groupId = r.string(flex), generationId = r.int32(), memberId = r.string(flex);
    const groupInstanceId = v >= 3 ? r.nullableString(flex) : null;
    const protocolType = v >= 5 ? r.compactNullableString() : null;
    const protocolName = v >= 5 ? r.compactNullableString() : null;
    const assignments = r.array((r) => {
      const a = { memberId: r.string(flex), assignment: r.bytes(flex) };
      if (flex) r.taggedFields();
      return a;
    }, flex);
    if (flex) r.taggedFields();
    return { groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 4;
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
    if (v >= 5) w.compactNullableString(res.protocolType).compactNullableString(res.protocolName);
    w.bytes(res.assignment, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker }) {
    const r = await groupCoordinator(broker).sync(req);
    if (r.kind === 'error') return { throttleTimeMs: 0, errorCode: r.errorCode, protocolType: null, protocolName: null, assignment: NONE };
    return { throttleTimeMs: 0, errorCode: 0, protocolType: r.protocolType, protocolName: r.protocolName, assignment: r.assignment };
  },
});
