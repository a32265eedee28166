// One client connection: frames in, handlers run, responses out in request order.
// Requests are started as they arrive (a long-polling Fetch does not stall a Heartbeat's
// handling) but answered strictly in order, as the protocol promises. Memory per
// connection is bounded by the frame cap, the in-flight cap and the unsent-bytes cap: past
// those the socket stops being read until the client catches up.
import type { Socket } from 'node:net';
import { FrameDecoder } from './protocol/frame.ts';
import { frameResponse, readRequestHeader, readRequestHeaderTags, responseHeaderVersion, type RequestHeader } from './protocol/header.ts';
import { Reader } from './protocol/reader.ts';
import { Writer } from './protocol/writer.ts';
import { NO_RESPONSE, isFlexible, type AnyHandler, type ConnectionSession, type HandlerContext } from './handlers/types.ts';
import type { BrokerState } from './state.ts';

export interface ConnectionOptions {
  readonly broker: BrokerState;
  readonly apis: readonly AnyHandler[];
  readonly handlerFor: (apiKey: number) => AnyHandler | undefined;
  readonly connectionId: number;
  readonly maxInFlight: number;
  readonly maxUnsentBytes: number;
  /** Log each request's API and version (see BrokerOptions.logRequests). */
  readonly logRequests?: boolean;
}

/** Why a connection was closed on purpose (logged; the client only sees the close). */
export class ProtocolViolationError extends Error {
  override readonly name = 'ProtocolViolationError';
}

type Outcome = { ok: Buffer[] | null } | { err: unknown };

export function serveConnection(socket: Socket, opts: ConnectionOptions): void {
  const { broker } = opts;
  const decoder = new FrameDecoder(broker.config.maxFrameBytes);
  const closed = new AbortController();
  let chain: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let dead = false;
  // Kafka shows a member's host as the InetAddress string, "/" then the address.
  const session: ConnectionSession = { clientSoftware: null, clientHost: `/${socket.remoteAddress ?? ''}` };

  socket.setNoDelay(true);

  const fail = (err: unknown) => {
    if (dead) return;
    dead = true;
    broker.log('warn', `closing connection ${opts.connectionId}: ${(err as Error)?.message ?? err}`, {
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
    });
    socket.destroy();
  };

  const throttle = () => {
    const busy = inFlight >= opts.maxInFlight || socket.writableLength > opts.maxUnsentBytes;
    if (busy && !socket.isPaused()) socket.pause();
    else if (!busy && socket.isPaused() && !dead) socket.resume();
  };

  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = decoder.push(chunk);
    } catch (err) {
      return fail(err);
    }
    for (const frame of frames) {
      inFlight++;
      const pending: Promise<Outcome> = dispatch(frame, opts, closed.signal, session).then(
        (ok) => ({ ok }),
        (err: unknown) => ({ err }),
      );
      chain = chain.then(async () => {
        const outcome = await pending;
        inFlight--;
        if (dead) return;
        if ('err' in outcome) return fail(outcome.err);
        if (outcome.ok) {
          socket.cork();
          for (const b of outcome.ok) socket.write(b);
          socket.uncork();
        }
        throttle();
      });
    }
    throttle();
  });
  socket.on('drain', throttle);
  socket.on('error', () => {}); // 'close' follows; a reset by the client is not our error
  socket.on('close', () => {
    dead = true;
    closed.abort();
  });
}

async function dispatch(
  frame: Buffer, opts: ConnectionOptions, closed: AbortSignal, session: ConnectionSession,
): Promise<Buffer[] | null> {
  const r = new Reader(frame);
  const header: RequestHeader = readRequestHeader(r);
  const handler = opts.handlerFor(header.apiKey);
  // The real broker cannot parse an unknown key and closes the connection.
  if (!handler) throw new ProtocolViolationError(`unknown api key ${header.apiKey}`);
  if (opts.logRequests) {
    const { apiKey, apiVersion, clientId } = header;
    opts.broker.log('debug', `request ${handler.name} v${apiVersion}`, { apiKey, apiVersion, connectionId: opts.connectionId, clientId });
  }
  const base = { broker: opts.broker, header, connectionId: opts.connectionId, closed, apis: opts.apis, session };
  if (header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
    if (!handler.unsupportedVersion) {
      throw new ProtocolViolationError(`${handler.name} v${header.apiVersion} is not supported`);
    }
    const { version, response } = handler.unsupportedVersion(base);
    const w = new Writer();
    handler.encodeResponse(w, version, response);
    return frameResponse(header.correlationId, w);
  }
  const flexible = isFlexible(handler, header.apiVersion);
  if (flexible) readRequestHeaderTags(r);
  const ctx: HandlerContext = { ...base, version: header.apiVersion };
  const req: unknown = handler.decodeRequest(r, header.apiVersion);
  const res: unknown = await handler.handle(req, ctx);
  if (res === NO_RESPONSE) return null;
  const w = new Writer();
  handler.encodeResponse(w, header.apiVersion, res);
  return frameResponse(header.correlationId, w, responseHeaderVersion(header.apiKey, flexible));
}
