// DeleteGroups (42), v0–v3. v1 = v0; v2 is flexible; v3 adds a per-group error_message. Only
// an empty group, classic or consumer (KIP-848), can be deleted (NON_EMPTY_GROUP otherwise);
// its committed offsets go with it.
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface DeleteGroupsRequest { groupIds: string[] }
export interface DeleteGroupsResponse { throttleTimeMs: number; results: { groupId: string; errorCode: number; errorMessage: string | null }[] }

const MESSAGES: Partial<Record<number, string>> = {
  [ErrorCode.NON_EMPTY_GROUP]: 'The group is not empty.',
  [ErrorCode.GROUP_ID_NOT_FOUND]: 'The group id does not exist.',
};

export const deleteGroups = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 2,
  decodeRequest(r, v) {
    const flex = v >= 2;
    const req = { groupIds: r.array((r) => r.string(flex), flex) };
    if (flex) r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    const flex = v >= 2;
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, g) => {
      w.string(g.groupId, flex).int16(g.errorCode);
      if (v >= 3) w.compactNullableString(g.errorMessage);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  async handle(req, { broker }) {
    const classic = groupCoordinator(broker);
    const modern = consumerGroups(broker);
    const results = [];
    for (const groupId of req.groupIds) {
      let errorCode: number;
      if (modern.group(groupId)) {
        errorCode = modern.deleteGroup(groupId);
        if (errorCode === ErrorCode.NONE) await classic.offsets.deleteGroup(groupId);
      } else errorCode = await classic.deleteGroup(groupId);
      results.push({ groupId, errorCode, errorMessage: MESSAGES[errorCode] ?? null });
    }
    return { throttleTimeMs: 0, results };
  },
});
