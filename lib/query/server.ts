// The query server on node:http through @hono/node-server's request listener.
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { KafkaStreams } from '../runtime/kafka-streams.ts';
import type { QueryContext, QueryServer, QueryServerOptions } from './api.ts';
import { createQueryApp } from './app.ts';

export const DEFAULT_QUERY_PORT = 8888;

/** The port is taken or the address cannot be bound. */
export class QueryServerListenError extends Error {
  override readonly name = 'QueryServerListenError';
}

/**
 * Listens first and serves an instance attached later: with `port: 0` the port is known only
 * once listening, and KafkaStreams needs it up front as its `applicationServer`.
 */
export async function openQueryServer(options: QueryServerOptions = {}): Promise<QueryServer> {
  const host = options.host ?? '127.0.0.1';
  let streams: KafkaStreams | undefined;
  let port = options.port ?? DEFAULT_QUERY_PORT;
  const context: QueryContext = {
    streams: () => streams,
    self: () => ({ host: options.advertisedHost ?? host, port }),
  };
  const app = createQueryApp({ context, routes: options.routes?.(context), metrics: options.metrics, skipped: options.skipped });
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new QueryServerListenError(`cannot listen on ${host}:${port}: ${err.message} (choose another --port)`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    url: `http://${shownHost}:${port}`,
    attach(s) { streams = s; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** `startQueryServer({ streams, host, port, routes })`: listen and serve this instance at once. */
export async function startQueryServer(options: QueryServerOptions & { readonly streams: KafkaStreams }): Promise<QueryServer> {
  const server = await openQueryServer(options);
  server.attach(options.streams);
  return server;
}
