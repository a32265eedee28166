// The contract every API handler implements. A handler owns one API key: it decodes the
// request body for a version, computes the response, and encodes it for the same version.
// Kafka errors go into the response as codes; throwing closes the client's connection.
import type { BrokerState } from '../state.ts';
import type { RequestHeader } from '../protocol/header.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';

/** Returned by `handle` when the request gets no response at all (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('no response');
export type NoResponse = typeof NO_RESPONSE;

export interface HandlerContext {
  readonly broker: BrokerState;
  readonly header: RequestHeader;
  /** The request's api_version, already checked against the handler's range. */
  readonly version: number;
  /** Unique per TCP connection for the broker's lifetime. */
  readonly connectionId: number;
  /** Aborts when the client's connection closes (ends long polls early). */
  readonly closed: AbortSignal;
  /** The handler registry in use (ApiVersions lists it). */
  readonly apis: readonly AnyHandler[];
  /** State kept for the life of the TCP connection. */
  readonly session: ConnectionSession;
}

/** What a connection remembers between requests. */
export interface ConnectionSession {
  /** Named by ApiVersions v3+ (KIP-511); null until a client says. */
  clientSoftware: { name: string; version: string } | null;
  /** The peer as group descriptions show it (`/127.0.0.1`). */
  readonly clientHost: string;
}

export interface Handler<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /**
   * First version using flexible encoding (KIP-482: compact types, tag buffers, request
   * header v2, response header v1), from Kafka's message spec; undefined = none advertised.
   */
  readonly firstFlexibleVersion?: number;
  decodeRequest(r: Reader, version: number): Req;
  encodeResponse(w: Writer, version: number, res: Res): void;
  handle(req: Req, ctx: HandlerContext): Res | NoResponse | Promise<Res | NoResponse>;
  /**
   * Optional answer to a version outside [minVersion, maxVersion]; without it the
   * connection is closed, as the real broker does. Only ApiVersions uses it (KIP-511).
   */
  unsupportedVersion?(ctx: Omit<HandlerContext, 'version'>): { version: number; response: Res };
}

// The registry stores handlers of different Req/Res types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = Handler<any, any>;

/** Identity function that lets TypeScript infer Req and Res from the object literal. */
/** Whether `version` of the handler's API is flexible. */
export function isFlexible(h: AnyHandler, version: number): boolean {
  return h.firstFlexibleVersion !== undefined && version >= h.firstFlexibleVersion;
}

export function defineHandler<Req, Res>(h: Handler<Req, Res>): Handler<Req, Res> {
  return h;
}
