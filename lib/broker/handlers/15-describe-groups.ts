// DescribeGroups (15), v0–v6. v1 adds throttle_time_ms; v2 = v1; v3 adds
// include_authorized_operations / authorized_operations; v4 adds group_instance_id per
// member; v5 is flexible; v6 adds error_message and answers GROUP_ID_NOT_FOUND for an unknown
// group (KIP-1043; older versions: Dead, no error). A consumer group (KIP-848) is not classic:
// Dead before v6, GROUP_ID_NOT_FOUND from v6. Metadata and assignment are what members sent, once Stable.
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import type { GroupDescription } from '../groups/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface DescribeGroupsRequest { groupIds: string[]; includeAuthorizedOperations: boolean }
export type DescribedGroup = GroupDescription & { errorMessage: string | null };
export interface DescribeGroupsResponse { throttleTimeMs: number; groups: DescribedGroup[] }

/** authorized_operations when the client did not ask for them (Kafka's INT32_MIN sentinel). */
const OPERATIONS_OMITTED = -2147483648;

export const describeGroups = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 5,
  decodeRequest(r, v) {
    const flex = v >= 5;
    const req = { groupIds: r.array((r) => r.string(flex), flex), includeAuthorizedOperations: v >= 3 ? r.boolean() : false };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    const flex = v >= 5;
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.array(res.groups, (w, g) => {
      w.int16(g.errorCode);
      if (v >= 6) w.compactNullableString(g.errorMessage);
      w.string(g.groupId, flex).string(g.state, flex).string(g.protocolType, flex).string(g.protocol, flex);
      w.array(g.members, (w, m) => {
        w.string(m.memberId, flex);
        if (v >= 4) w.nullableString(m.groupInstanceId, flex);
        w.string(m.clientId, flex).string(m.clientHost, flex).bytes(m.metadata, flex).bytes(m.assignment, flex);
        if (flex) w.taggedFields();
      }, flex);
      if (v >= 3) w.int32(OPERATIONS_OMITTED);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker, version }) {
    const coordinator = groupCoordinator(broker);
    const modern = consumerGroups(broker);
    return {
      throttleTimeMs: 0,
      groups: req.groupIds.map((id): DescribedGroup => {
        const d = coordinator.describe(id);
        if (d.state !== 'Dead' || d.errorCode !== ErrorCode.NONE || version < 6) return { ...d, errorMessage: null };
        const errorMessage = modern.group(id) ? `Group ${id} is not a classic group.` : `Group ${id} not found.`;
        return { ...d, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage };
      }),
    };
  },
});
