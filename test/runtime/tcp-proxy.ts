// A TCP forwarder in front of a real Kafka broker that advertises the forwarder's port: closing
// it is, for every client, the broker going away (ECONNREFUSED, connections reset), while the
// JVM and its data stay, so it can "come back" on the same port at once. `cut` is a silent
// network partition instead: requests are swallowed, never answered, until `heal`.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Stops listening and resets every forwarded connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** From now on, bytes towards the broker are dropped, on open and new connections alike. */
  cut(): void;
  /** Resets the connections that were cut (what they dropped never arrives) and forwards again. */
  heal(): void;
}

export async function startTcpProxy(options: { port: number; targetPort: number; host?: string }): Promise<TcpProxy> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let server: Server | undefined;
  let cut = false;
  const drop = (pair: { client: Socket; upstream: Socket }) => {
    pair.client.unpipe(pair.upstream);
    pair.client.on('data', () => {}); // keep reading, so the client's writes succeed and vanish
  };
  const listen = () => new Promise<void>((resolve, reject) => {
    const s = createServer((client) => {
      const upstream = connect(options.targetPort, host);
      const pair = { client, upstream };
      pairs.add(pair);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => { sockets.delete(sock); pairs.delete(pair); });
        sock.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      if (cut) drop(pair);
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
    cut() {
      cut = true;
      for (const pair of pairs) drop(pair);
    },
    heal() {
      cut = false;
      for (const { client, upstream } of [...pairs]) { client.resetAndDestroy(); upstream.destroy(); }
    },
  };
}
