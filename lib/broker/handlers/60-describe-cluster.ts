// DescribeCluster (60), v0–v2, flexible from v0 (KIP-700): the cluster id, the controller
// (this node) and the one broker. v1 adds endpoint_type (1 = brokers; 2 = controllers answers
// UNSUPPORTED_ENDPOINT_TYPE: this broker has no controller listener); v2 adds
// include_fenced_brokers and is_fenced per broker (never fenced here).
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

/** Kafka's UNSUPPORTED_ENDPOINT_TYPE. */
const UNSUPPORTED_ENDPOINT_TYPE = 115;
const BROKERS = 1;
const OPERATIONS_OMITTED = -2147483648;

export interface DescribeClusterRequest { includeClusterAuthorizedOperations: boolean; endpointType: number; includeFencedBrokers: boolean }
export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: { brokerId: number; host: string; port: number; rack: string | null; isFenced: boolean }[];
  clusterAuthorizedOperations: number;
}

export const describeCluster = defineHandler<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 0,
  decodeRequest(r, v) {
    const req = {
      includeClusterAuthorizedOperations: r.boolean(),
      endpointType: v >= 1 ? r.int8() : BROKERS,
      includeFencedBrokers: v >= 2 ? r.boolean() : false,
    };
    r.taggedFields();
    return req;
  },
  encodeResponse(w, v, res) {
    w.int32(res.throttleTimeMs).int16(res.errorCode).compactNullableString(res.errorMessage);
    if (v >= 1) w.int8(res.endpointType);
    w.compactString(res.clusterId).int32(res.controllerId);
    w.compactArray(res.brokers, (w, b) => {
      w.int32(b.brokerId).compactString(b.host).int32(b.port).compactNullableString(b.rack);
      if (v >= 2) w.boolean(b.isFenced);
      w.taggedFields();
    });
    w.int32(res.clusterAuthorizedOperations).taggedFields();
  },
  handle(req, { broker }) {
    const { nodeId, host, port, rack } = broker.node;
    const base = { throttleTimeMs: 0, endpointType: req.endpointType, clusterId: broker.clusterId, clusterAuthorizedOperations: OPERATIONS_OMITTED };
    if (req.endpointType !== BROKERS) {
      return { ...base, errorCode: UNSUPPORTED_ENDPOINT_TYPE, errorMessage: 'The broker only describes its brokers (endpoint type 1).', controllerId: -1, brokers: [] };
    }
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, controllerId: nodeId, brokers: [{ brokerId: nodeId, host, port, rack, isFenced: false }] };
  },
});
