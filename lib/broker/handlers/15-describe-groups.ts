// DescribeGroups (15), v0–v4. v1 adds throttle_time_ms; v2 = v1; v3 adds
// include_authorized_operations / authorized_operations; v4 adds group_instance_id per
// member; v5+ is flexible. Metadata and assignment are what members sent, once Stable.
import { groupCoordinator } from '../groups/service.ts';
import type { GroupDescription } from '../groups/types.ts';
import { defineHandler } from './types.ts';

export interface DescribeGroupsRequest { groupIds: string[]; includeAuthorizedOperations: boolean }
export interface DescribeGroupsResponse { throttleTimeMs: number; groups: GroupDescription[] }

/** authorized_operations when the client did not ask for them (Kafka's INT32_MIN sentinel). */
const OPERATIONS_OMITTED = -2147483648;

export const describeGroups = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 4,
  decodeRequest: (r, v) => ({ groupIds: r.array((r) => r.string()), includeAuthorizedOperations: v >= 3 ? r.boolean() : false }),
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.array(res.groups, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
      w.array(g.members, (w, m) => {
        w.string(m.memberId);
        if (v >= 4) w.nullableString(m.groupInstanceId);
        w.string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
      });
      if (v >= 3) w.int32(OPERATIONS_OMITTED);
    });
  },
  handle(req, { broker }) {
    const coordinator = groupCoordinator(broker);
    return { throttleTimeMs: 0, groups: req.groupIds.map((id) => coordinator.describe(id)) };
  },
});
