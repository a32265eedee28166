// FindCoordinator (10), v0–v6. v1 adds key_type (0 group, 1 transaction) and, in the
// response, throttle_time_ms and error_message; v2 = v1; v3 is flexible; v4 batches keys
// (coordinator_keys in, one coordinator entry per key out, KIP-699); v5 = v4 on the wire (a
// client may get TRANSACTION_ABORTABLE, which we never send); v6 = v5 and adds key type 2, share
// groups (KIP-932), which we do not have: INVALID_REQUEST. One node coordinates every key.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface FindCoordinatorRequest { keyType: number; keys: string[] }
export interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}
/** One entry per key; before v4 exactly one, whose key is not on the wire. */
export interface FindCoordinatorResponse { throttleTimeMs: number; coordinators: Coordinator[] }

export const findCoordinator = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    const flex = v >= 3;
    const key = v < 4 ? r.string(flex) : '';
    const keyType = v >= 1 ? r.int8() : 0;
    const keys = v >= 4 ? r.compactArray((r) => r.compactString()) : [key];
    if (flex) r.taggedFields();
    return { keyType, keys };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    if (v >= 1) w.int32(res.throttleTimeMs);
    if (v >= 4) {
      w.compactArray(res.coordinators, (w, c) => {
        w.compactString(c.key).int32(c.nodeId).compactString(c.host).int32(c.port).int16(c.errorCode);
        w.compactNullableString(c.errorMessage).taggedFields();
      });
    } else {
      const c = res.coordinators[0];
      if (!c) throw new RangeError(`FindCoordinator v${v} needs exactly one coordinator`);
      w.int16(c.errorCode);
      if (v >= 1) w.nullableString(c.errorMessage, flex);
      w.int32(c.nodeId).string(c.host, flex).int32(c.port);
    }
    if (flex) w.taggedFields();
  },
  handle(req, { broker }) {
    const { nodeId, host, port } = broker.node;
    const known = req.keyType === 0 || req.keyType === 1;
    const coordinators = req.keys.map((key) => known
      ? { key, nodeId, host, port, errorCode: ErrorCode.NONE, errorMessage: null }
      : { key, nodeId: -1, host: '', port: -1, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown key type ${req.keyType}` });
    return { throttleTimeMs: 0, coordinators };
  },
});
