// A network fault at the client's edge, for kafkajs (its `socketFactory`): every byte passes
// except the first response to a request of one API, which is lost with its connection (reset as
// it arrives). The broker did the work; the client never hears of it and retries.
import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

export interface LostResponse {
  readonly socketFactory: ISocketFactory;
  /** How many responses were lost so far (0 or 1). */
  lost(): number;
}

/** Loses the first response to a request with `apiKey` (0 = Produce) on any connection of the client. */
export function loseFirstResponse(apiKey: number): LostResponse {
  let lost = 0;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    // Requests are frames of int32 size, int16 api key, int16 version, int32 correlation id;
    // responses start with int32 size, int32 correlation id.
    const watched = new Set<number>();
    let outbound = Buffer.alloc(0);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: Uint8Array | string, ...rest: unknown[]) => {
      outbound = Buffer.concat([outbound, typeof chunk === 'string' ? Buffer.from(chunk, 'binary') : Buffer.from(chunk)]);
      while (outbound.length >= 12 && outbound.length >= 4 + outbound.readInt32BE(0)) {
        if (outbound.readInt16BE(4) === apiKey) watched.add(outbound.readInt32BE(8));
        outbound = outbound.subarray(4 + outbound.readInt32BE(0));
      }
      return write(chunk, ...rest);
    }) as Socket['write'];
    let inbound = Buffer.alloc(0);
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data') return emit(event, ...args);
      inbound = Buffer.concat([inbound, args[0] as Buffer]);
      while (inbound.length >= 8 && inbound.length >= 4 + inbound.readInt32BE(0)) {
        const frame = inbound.subarray(0, 4 + inbound.readInt32BE(0));
        inbound = inbound.subarray(frame.length);
        if (lost === 0 && watched.has(frame.readInt32BE(4))) {
          lost++;
          socket.destroy(Object.assign(new Error('connection reset: the response was lost'), { code: 'ECONNRESET' }));
          return true;
        }
        emit('data', frame);
      }
      return true;
    }) as Socket['emit'];
    return socket;
  };
  return { socketFactory, lost: () => lost };
}
