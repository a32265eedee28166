// A TCP forwarder in front of a real Kafka broker that advertises the forwarder's port: closing
// it is, for every client, the broker going away (ECONNREFUSED, connections reset), while the
// JVM and its data stay, so it can "come back" on the same port at once.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Stops listening and resets every forwarded connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startTcpProxy(options: { port: number; targetPort: number; host?: string }): Promise<TcpProxy> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () => new Promise<void>((resolve, reject) => {
    const s = createServer((client) => {
      const upstream = connect(options.targetPort, host);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    s.once('error', reject);
    s.listen(options.port, host, () => { server = s; resolve(); });
  });
  await listen();
  return {
    port: options.port,
    start: listen,
    stop: () => new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.resetAndDestroy();
      if (s) s.close(() => resolve());
      else resolve();
    }),
  };
}
