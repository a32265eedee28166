// Heartbeat (12), v0–v3. v1 adds throttle_time_ms; v2 = v1; v3 adds group_instance_id
// (KIP-345); v4+ is flexible. REBALANCE_IN_PROGRESS tells the member to rejoin.
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface HeartbeatWireRequest { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }
export interface HeartbeatResponse { throttleTimeMs: number; errorCode: number }

export const heartbeat = defineHandler<HeartbeatWireRequest, HeartbeatResponse>({
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest: (r, v) => ({
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    groupInstanceId: v >= 3 ? r.nullableString() : null,
  }),
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
  },
  handle: (req, { broker }) => ({ throttleTimeMs: 0, errorCode: groupCoordinator(broker).heartbeat(req) }),
});
