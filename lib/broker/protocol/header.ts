// Request and response headers. Request header v1 = api_key int16, api_version int16,
// correlation_id int32, client_id nullable string; v2 (flexible request versions, KIP-482)
// adds a tag buffer after client_id, which stays a non-compact string so a broker can read
// it before knowing the API. Response header v0 = correlation_id; v1 adds a tag buffer.
// ApiVersions responses always use v0 (KIP-511): a client reads them before it knows
// whether the broker speaks flexible headers. Every frame is prefixed by an int32 size.
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** The API whose responses keep header v0 at every version (KIP-511). */
export const API_VERSIONS_KEY = 18;

/** Reads header v0/v1 fields; for v2 the caller then reads the tag buffer (readRequestHeaderTags). */
export function readRequestHeader(r: Reader, headerVersion: 0 | 1 | 2 = 1): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = headerVersion >= 1 ? r.nullableString() : null;
  if (headerVersion >= 2) readRequestHeaderTags(r);
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Request header v2's tag buffer: no tags are defined for requests we serve, all skipped. */
export function readRequestHeaderTags(r: Reader): void {
  r.taggedFields();
}

/** Response header version for an API at a version (v1 iff flexible, except ApiVersions). */
export function responseHeaderVersion(apiKey: number, flexible: boolean): 0 | 1 {
  return flexible && apiKey !== API_VERSIONS_KEY ? 1 : 0;
}

/** Peeks the correlation id of a frame whose body could not be decoded. */
export function peekCorrelationId(frame: Buffer): number | undefined {
  return frame.length >= 8 ? frame.readInt32BE(4) : undefined;
}

/** A whole response frame: size, response header (v0, or v1 with an empty tag buffer), body. */
export function frameResponse(correlationId: number, body: Writer, headerVersion: 0 | 1 = 0): Buffer[] {
  const headLen = headerVersion === 1 ? 9 : 8;
  const head = Buffer.allocUnsafe(headLen);
  head.writeInt32BE(headLen - 4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  if (headerVersion === 1) head[8] = 0; // no tagged fields
  return [head, ...body.toBuffers()];
}
