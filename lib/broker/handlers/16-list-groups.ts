// ListGroups (16), v0–v5. v1 adds throttle_time_ms; v2 = v1; v3 is flexible; v4 adds a
// states filter and each group's state (KIP-518); v5 adds a types filter and each group's
// type, `classic` or `consumer` (KIP-848). Filters match case-insensitively, empty = all.
// Every classic group except Dead ones and every consumer group.
import { ErrorCode } from '../protocol/errors.ts';
import { groupCoordinator } from '../groups/service.ts';
import { consumerGroups } from '../groups/consumer/service.ts';
import { defineHandler } from './types.ts';

export interface ListGroupsRequest { statesFilter: string[]; typesFilter: string[] }
export interface ListedGroup { groupId: string; protocolType: string; groupState: string; groupType: string }
export interface ListGroupsResponse { throttleTimeMs: number; errorCode: number; groups: ListedGroup[] }

export const listGroups = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const statesFilter = v >= 4 ? r.compactArray((r) => r.compactString()) : [];
    const typesFilter = v >= 5 ? r.compactArray((r) => r.compactString()) : [];
    if (flex) r.taggedFields();
    return { statesFilter, typesFilter };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
    w.array(res.groups, (w, g) => {
      w.string(g.groupId, flex).string(g.protocolType, flex);
      if (v >= 4) w.compactString(g.groupState);
      if (v >= 5) w.compactString(g.groupType);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  },
  handle(req, { broker }) {
    const all: ListedGroup[] = [
      ...groupCoordinator(broker).list().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: 'classic' })),
      ...consumerGroups(broker).list().map((g) => ({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state, groupType: 'consumer' })),
    ];
    const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(req.typesFilter.map((s) => s.toLowerCase()));
    const groups = all.filter((g) => (states.size === 0 || states.has(g.groupState.toLowerCase()))
      && (types.size === 0 || types.has(g.groupType)));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
  },
});
