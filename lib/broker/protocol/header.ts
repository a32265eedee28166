// Request and response headers, pre-flexible versions only (kafkajs never sends flexible
// ones). Request header v1 = api_key int16, api_version int16, correlation_id int32,
// client_id nullable string; v0 lacks client_id (only ControlledShutdown v0 used it).
// Response header v0 = correlation_id int32. Every frame is prefixed by an int32 size.
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export function readRequestHeader(r: Reader, headerVersion: 0 | 1 = 1): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = headerVersion >= 1 ? r.nullableString() : null;
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Peeks the correlation id of a frame whose body could not be decoded. */
export function peekCorrelationId(frame: Buffer): number | undefined {
  return frame.length >= 8 ? frame.readInt32BE(4) : undefined;
}

/** A whole response frame: size, response header v0, then the encoded body chunks. */
export function frameResponse(correlationId: number, body: Writer): Buffer[] {
  const head = Buffer.allocUnsafe(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return [head, ...body.toBuffers()];
}
