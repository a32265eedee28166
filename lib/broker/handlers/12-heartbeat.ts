// Heartbeat (12), v0–v4. v1 adds throttle_time_ms; v2 = v1; v3 adds group_instance_id
// (KIP-345); v4 is flexible. REBALANCE_IN_PROGRESS tells the member to rejoin.
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface HeartbeatWireRequest { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }
export interface HeartbeatResponse { throttleTimeMs: number; errorCode: number }

export const heartbeat = defineHandler<HeartbeatWireRequest, HeartbeatResponse>({
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 4,
  decodeRequest(r, v) {
    const flex = v >= 4;
    const req = {
      groupId: r.string(flex),
      generationId: r.int32(),
      memberId: r.string(flex),
      groupInstanceId: v >= 3 ? r.nullableString(flex) : null,
    };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
    if (v >= 4) w.taggedFields();
  },
  handle: (req, { broker }) => ({ throttleTimeMs: 0, errorCode: groupCoordinator(broker).heartbeat(req) }),
});
