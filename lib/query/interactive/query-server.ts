// The interactive-query app on node:http. It listens first and serves an instance attached
// later: with `port: 0` the port is known only once listening, and KafkaStreams needs it up
// front as its `applicationServer`.
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { HostInfo } from '../../runtime/metadata.ts';
import { formatHostPort, type QueryableInstance } from './instance.ts';
import { createInteractiveQueryApp, type InteractiveQueryOptions } from './query-app.ts';

export interface InteractiveQueryServerOptions extends Omit<InteractiveQueryOptions, 'instance' | 'self'> {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The host the other instances reach this one at, as in its applicationServer (default: `host`). */
  readonly advertisedHost?: string;
  /** Default 8888; 0 picks a free port (read it back from the result). */
  readonly port?: number;
  /** Serve this instance at once instead of `attach()`ing it later. */
  readonly instance?: QueryableInstance;
}

export interface InteractiveQueryServer {
  /** As advertised: what to put in the instance's `applicationServer` (`host:port`). */
  readonly self: HostInfo;
  readonly applicationServer: string;
  /** `http://host:port`. */
  readonly url: string;
  readonly app: Hono;
  readonly registry: Registry;
  /** Starts answering for this instance; until then routes answer 503 and /health STARTING. */
  attach(instance: QueryableInstance): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** The port is taken or the address cannot be bound. */
export class QueryListenError extends Error {
  override readonly name = 'QueryListenError';
}

export async function openInteractiveQueryServer(options: InteractiveQueryServerOptions = {}): Promise<InteractiveQueryServer> {
  const { host = '127.0.0.1', advertisedHost, port: wanted = 8888, instance: initial, ...appOptions } = options;
  let attached: QueryableInstance | undefined = initial;
  let port = wanted;
  const self = (): HostInfo => ({ host: advertisedHost ?? host, port });
  const { app, registry } = createInteractiveQueryApp({ ...appOptions, instance: () => attached, self });
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new QueryListenError(`cannot listen on ${formatHostPort({ host, port })}: ${err.message}`, { cause: err })));
    server.listen(wanted, host, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === 'object') port = address.port;
  return {
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
