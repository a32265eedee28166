// ListGroups (16), v0–v2. v1 adds throttle_time_ms; v2 = v1; v3+ is flexible (v4 adds a
// states filter). Every group the coordinator knows except Dead ones.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface ListGroupsResponse { throttleTimeMs: number; errorCode: number; groups: { groupId: string; protocolType: string }[] }

export const listGroups = defineHandler<Record<string, never>, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: () => ({}),
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
    w.array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
  },
  handle: (_req, { broker }) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    groups: groupCoordinator(broker).list().map(({ groupId, protocolType }) => ({ groupId, protocolType })),
  }),
});
