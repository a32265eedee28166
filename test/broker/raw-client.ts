// A bare TCP client for wire-level tests: sends bytes, collects response frames.
import { connect, type Socket } from 'node:net';

export interface RawClient {
  readonly socket: Socket;
  send(bytes: Buffer): void;
  /** Resolves with the next whole response frame (without its size prefix). */
  nextFrame(timeoutMs?: number): Promise<Buffer>;
  /** Resolves true once the broker closes the connection. */
  closed(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export async function rawClient(port: number, host = '127.0.0.1'): Promise<RawClient> {
  const socket = connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buf = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  let ended = false;
  socket.on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); waiters.splice(0).forEach((w) => w()); });
  socket.on('close', () => { ended = true; waiters.splice(0).forEach((w) => w()); });
  socket.on('error', () => {});
  const until = (cond: () => boolean, timeoutMs: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const check = () => { if (cond()) { clearTimeout(timer); resolve(true); } else waiters.push(check); };
    check();
  });
  const haveFrame = () => buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0);
  return {
    socket,
    send: (bytes) => socket.write(bytes),
    async nextFrame(timeoutMs = 5000) {
      if (!(await until(() => haveFrame() || ended, timeoutMs)) || !haveFrame()) throw new Error('no response frame');
      const size = buf.readInt32BE(0);
      const frame = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      return frame;
    },
    closed: (timeoutMs = 5000) => until(() => ended, timeoutMs),
    close: () => socket.destroy(),
  };
}

/** Size-prefixes a request: header v1 (key, version, correlation id, client id) + body. */
export function requestFrame(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId = 'raw'): Buffer {
  const cid = Buffer.from(clientId);
  const head = Buffer.alloc(10);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(version, 2);
  head.writeInt32BE(correlationId, 4);
  head.writeInt16BE(cid.length, 8);
  const payload = Buffer.concat([head, cid, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** Size-prefixes a request with header v2 (flexible versions): header v1, an empty tag buffer, body. */
export function flexibleRequestFrame(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId = 'raw'): Buffer {
  return requestFrame(apiKey, version, correlationId, Buffer.concat([Buffer.from([0]), body]), clientId);
}
