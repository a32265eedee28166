// FindCoordinator (10), v0–v2. v1 adds key_type (0 group, 1 transaction) and, in the
// response, throttle_time_ms and error_message; v2 = v1; v3+ is flexible. One node: we
// coordinate every group (transactions are not implemented, but the answer is the same).
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

export interface FindCoordinatorRequest { key: string; keyType: number }
export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export const findCoordinator = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: (r, v) => ({ key: r.string(), keyType: v >= 1 ? r.int8() : 0 }),
  encodeResponse(w, v, res) {
    if (v >= 1) w.int32(res.throttleTimeMs);
    w.int16(res.errorCode);
    if (v >= 1) w.nullableString(res.errorMessage);
    w.int32(res.nodeId).string(res.host).int32(res.port);
  },
  handle(req, { broker }) {
    if (req.keyType !== 0 && req.keyType !== 1) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown key type ${req.keyType}`, nodeId: -1, host: '', port: -1 };
    }
    const { nodeId, host, port } = broker.node;
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId, host, port };
  },
});
