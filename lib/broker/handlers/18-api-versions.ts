// ApiVersions (18), v0–v5. v1 adds throttle_time_ms; v2 = v1; v3 is flexible and the request
// names the client software (KIP-511), the response may carry feature tags (we send none);
// v4 only changes which features v3 omits, so with none v4 = v3; v5 lets a client name the
// cluster and node it expects (both or neither, else INVALID_REQUEST): another cluster or
// node answers REBOOTSTRAP_REQUIRED, as Kafka 4.4 does. With transaction.version 2 the v3+
// tags carry the feature: supported 0–2 (v3 leaves out features whose minimum is 0,
// KAFKA-17011) and finalized at 2, which is what makes a client use KIP-890 part 2. A too-new request is answered in v0
// with UNSUPPORTED_VERSION and our ranges, so the client retries with a version we have;
// responses keep header v0. Other errors carry no ranges, as Kafka's.
import { ErrorCode } from '../protocol/errors.ts';
import type { Writer } from '../protocol/writer.ts';
import { transactionVersionOf } from './transaction-version.ts';
import { defineHandler } from './types.ts';
import type { AnyHandler } from './types.ts';

export interface ApiVersionsRequest {
  clientSoftwareName: string | null;
  clientSoftwareVersion: string | null;
  /** v5: the cluster and node the client expects, or null / -1. */
  clusterId: string | null;
  nodeId: number;
}
export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
  throttleTimeMs: number;
  supportedFeatures: { name: string; minVersion: number; maxVersion: number }[];
  /** -1 = no finalized features (the tags are left out). */
  finalizedFeaturesEpoch: number;
  finalizedFeatures: { name: string; maxVersionLevel: number; minVersionLevel: number }[];
}

/** Kafka's rule for client software names and versions (KIP-511); others get INVALID_REQUEST. */
const SOFTWARE_ID = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

const NO_FEATURES = { supportedFeatures: [], finalizedFeaturesEpoch: -1, finalizedFeatures: [] };
// One node, features fixed at start: the finalized epoch never moves (clients keep the
// highest epoch they saw and need one >= 0 to trust the list).
const FEATURES_EPOCH = 1;

function supported(apis: readonly AnyHandler[], errorCode: number): ApiVersionsResponse {
  const apiKeys = apis.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  if (errorCode !== ErrorCode.NONE || transactionVersionOf(apis) < 2) return { errorCode, apiKeys, throttleTimeMs: 0, ...NO_FEATURES };
  return {
    errorCode, apiKeys, throttleTimeMs: 0,
    supportedFeatures: [{ name: 'transaction.version', minVersion: 0, maxVersion: 2 }],
    finalizedFeaturesEpoch: FEATURES_EPOCH,
    finalizedFeatures: [{ name: 'transaction.version', maxVersionLevel: 2, minVersionLevel: 2 }],
  };
}

const refused = (errorCode: number): ApiVersionsResponse => ({ errorCode, apiKeys: [], throttleTimeMs: 0, ...NO_FEATURES });

export const apiVersions = defineHandler<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  decodeRequest(r, v) {
    if (v < 3) return { clientSoftwareName: null, clientSoftwareVersion: null, clusterId: null, nodeId: -1 };
    const clientSoftwareName = r.compactString(), clientSoftwareVersion = r.compactString();
    const clusterId = v >= 5 ? r.compactNullableString() : null, nodeId = v >= 5 ? r.int32() : -1;
    r.taggedFields();
    return { clientSoftwareName, clientSoftwareVersion, clusterId, nodeId };
  },
  encodeResponse(w, v, res) {
    const flex = v >= 3;
    w.int16(res.errorCode);
    w.array(res.apiKeys, (w, k) => {
      w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
      if (flex) w.taggedFields();
    }, flex);
    if (v >= 1) w.int32(res.throttleTimeMs);
    // Tags at their defaults (empty lists, epoch -1, ZkMigrationReady false) are left out, as Kafka's encoding does.
    if (!flex) return;
    const tags: { tag: number; write: (w: Writer) => void }[] = [];
    const shown = res.supportedFeatures.filter((f) => v >= 4 || f.minVersion > 0);
    if (shown.length > 0) {
      tags.push({ tag: 0, write: (w) => void w.array(shown, (w, f) => void w.compactString(f.name).int16(f.minVersion).int16(f.maxVersion).taggedFields(), true) });
    }
    if (res.finalizedFeaturesEpoch !== -1) tags.push({ tag: 1, write: (w) => void w.int64(res.finalizedFeaturesEpoch) });
    if (res.finalizedFeatures.length > 0) {
      tags.push({ tag: 2, write: (w) => void w.array(res.finalizedFeatures, (w, f) => void w.compactString(f.name).int16(f.maxVersionLevel).int16(f.minVersionLevel).taggedFields(), true) });
    }
    w.taggedFields(tags);
  },
  handle(req, ctx) {
    const { clientSoftwareName: name, clientSoftwareVersion: version } = req;
    if (name !== null && version !== null && (!SOFTWARE_ID.test(name) || !SOFTWARE_ID.test(version))) return refused(ErrorCode.INVALID_REQUEST);
    if ((req.clusterId === null) !== (req.nodeId === -1)) return refused(ErrorCode.INVALID_REQUEST);
    if (req.clusterId !== null && (req.clusterId !== ctx.broker.clusterId || req.nodeId !== ctx.broker.node.nodeId)) {
      return refused(ErrorCode.REBOOTSTRAP_REQUIRED);
    }
    if (name !== null && version !== null && ctx.session.clientSoftware === null) {
      ctx.session.clientSoftware = { name, version };
      ctx.broker.log('info', `connection ${ctx.connectionId}: client ${name} ${version} (client id ${ctx.header.clientId ?? 'none'})`);
    }
    return supported(ctx.apis, ErrorCode.NONE);
  },
  unsupportedVersion: (ctx) => ({ version: 0, response: supported(ctx.apis, ErrorCode.UNSUPPORTED_VERSION) }),
});
