// SyncGroup (14), v0–v3. v1 adds throttle_time_ms; v2 = v1; v3 adds group_instance_id
// (KIP-345); v4+ is flexible (v5 adds protocol type/name). Followers' responses wait for
// the leader's assignments.
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface SyncGroupWireRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: { memberId: string; assignment: Uint8Array }[];
}
export interface SyncGroupResponse { throttleTimeMs: number; errorCode: number; assignment: Uint8Array }

const NONE = new Uint8Array(0);

export const syncGroup = defineHandler<SyncGroupWireRequest, SyncGroupResponse>({
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest: (r, v) => ({
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    groupInstanceId: v >= 3 ? r.nullableString() : null,
    assignments: r.array((r) => ({ memberId: r.string(), assignment: r.bytes() })),
  }),
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode).bytes(res.assignment);
  },
  async handle(req, { broker }) {
    const r = await groupCoordinator(broker).sync({ ...req, protocolType: null, protocolName: null });
    if (r.kind === 'error') return { throttleTimeMs: 0, errorCode: r.errorCode, assignment: NONE };
    return { throttleTimeMs: 0, errorCode: 0, assignment: r.assignment };
  },
});
