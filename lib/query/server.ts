// The query app on node:http. It listens first and serves an instance attached later: with
// `port: 0` the port is known only once listening, and KafkaStreams needs it up front as its
// `applicationServer`.
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { HostInfo } from '../runtime/metadata.ts';
import { createQueryApp, type QueryAppOptions } from './app.ts';
import { QueryServerListenError } from './errors.ts';
import { formatHostPort, type QueryableInstance } from './instance.ts';

export const DEFAULT_QUERY_PORT = 8888;

export interface QueryServerOptions extends Omit<QueryAppOptions, 'instance' | 'self'> {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The host the other instances reach this one at, as in its applicationServer (default: `host`). */
  readonly advertisedHost?: string;
  /** Default `DEFAULT_QUERY_PORT` (8888); 0 picks a free port (read it back from the result). */
  readonly port?: number;
  /** Serve this instance at once instead of `attach()`ing it later. */
  readonly instance?: QueryableInstance;
}

export interface QueryServer {
  /** The address listened on. */
  readonly host: string;
  readonly port: number;
  /** As advertised: what to put in the instance's `applicationServer`. */
  readonly self: HostInfo;
  /** `self` as `host:port`. */
  readonly applicationServer: string;
  /** `http://host:port`. */
  readonly url: string;
  readonly app: Hono;
  /** The registry `/metrics` serves: add the application's metrics to it. */
  readonly registry: Registry;
  /** Starts answering for this instance; until then routes answer 503 and /health STARTING. */
  attach(instance: QueryableInstance): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export async function openQueryServer(options: QueryServerOptions = {}): Promise<QueryServer> {
  const { host = '127.0.0.1', advertisedHost, port: wanted = DEFAULT_QUERY_PORT, instance: initial, ...appOptions } = options;
  let attached: QueryableInstance | undefined = initial;
  let port = wanted;
  const self = (): HostInfo => ({ host: advertisedHost ?? host, port });
  const { app, registry } = createQueryApp({ ...appOptions, instance: () => attached, self });
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new QueryServerListenError(`cannot listen on ${formatHostPort({ host, port })}: ${err.message}`, { cause: err })));
    server.listen(wanted, host, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  return {
    host, port,
    self: self(),
    applicationServer: formatHostPort(self()),
    url: `http://${formatHostPort({ host, port })}`,
    app, registry,
    attach(instance) { attached = instance; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
