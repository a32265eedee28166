// ApiVersions (18), v0–v2. v1 adds throttle_time_ms; v2 is identical to v1. v3+ is flexible
// and not implemented: per KIP-511 a too-new request is answered in v0 with
// UNSUPPORTED_VERSION and our ranges, so the client retries with a version we have.
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';
import type { AnyHandler } from './types.ts';

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
  throttleTimeMs: number;
}

function supported(apis: readonly AnyHandler[], errorCode: number): ApiVersionsResponse {
  const apiKeys = apis.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  return { errorCode, apiKeys, throttleTimeMs: 0 };
}

export const apiVersions = defineHandler<Record<string, never>, ApiVersionsResponse>({
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: () => ({}),
  encodeResponse(w, version, res) {
    w.int16(res.errorCode);
    w.array(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion));
    if (version >= 1) w.int32(res.throttleTimeMs);
  },
  handle: (_req, ctx) => supported(ctx.apis, ErrorCode.NONE),
  unsupportedVersion: (ctx) => ({ version: 0, response: supported(ctx.apis, ErrorCode.UNSUPPORTED_VERSION) }),
});
