// DeleteGroups (42), v0–v1. v1 = v0; v2+ is flexible. Only an Empty group can be deleted
// (NON_EMPTY_GROUP otherwise); its committed offsets go with it.
import { groupCoordinator } from '../groups/service.ts';
import { defineHandler } from './types.ts';

export interface DeleteGroupsRequest { groupIds: string[] }
export interface DeleteGroupsResponse { throttleTimeMs: number; results: { groupId: string; errorCode: number }[] }

export const deleteGroups = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  decodeRequest: (r) => ({ groupIds: r.array((r) => r.string()) }),
  encodeResponse(w, _v, res) {
    w.int32(res.throttleTimeMs);
    w.array(res.results, (w, g) => w.string(g.groupId).int16(g.errorCode));
  },
  async handle(req, { broker }) {
    const coordinator = groupCoordinator(broker);
    const results = [];
    for (const groupId of req.groupIds) results.push({ groupId, errorCode: await coordinator.deleteGroup(groupId) });
    return { throttleTimeMs: 0, results };
  },
});
