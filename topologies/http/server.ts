// The serving application's query server: the library's query server (/health, /metrics) with
// the serving routes mounted and the serving metrics added.
import { openQueryServer, type QueryServerOptions } from '../../lib/query/api.ts';
import type { KafkaStreams } from '../../lib/index.ts';
import type { ServingTopology } from '../api.ts';
import type { ServingRoutesOptions, ServingTarget } from './api.ts';
import { registerServingMetrics } from './metrics.ts';
import { servingRoutes } from './routes.ts';

export interface ServingServerOptions extends Omit<QueryServerOptions, 'routes' | 'metrics'>,
  Pick<ServingRoutesOptions, 'peerTimeoutMs' | 'defaultDataType'> {}

/** A listening query server of the serving application. */
export interface ServingServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Starts answering for this instance; until then /state/* and /health answer 503. */
  attach(target: ServingTarget): void;
  close(): Promise<void>;
}

/** Listens first and serves an instance attached later (the port is needed for application.server). */
export async function openServingServer(options: ServingServerOptions = {}): Promise<ServingServer> {
  let target: ServingTarget | undefined;
  const server = await openQueryServer({
    ...options,
    routes: (context) => servingRoutes({ ...options, target: () => target, self: context.self }),
    metrics: (registry) => registerServingMetrics(registry, () => target),
    // Bad input the serving topology skipped, by its fixed set of reasons.
    skipped: () => (target ? target.serving.localBadInput?.(target.streams) ?? {} : {}),
  });
  return {
    host: server.host,
    port: server.port,
    url: server.url,
    attach(t) {
      target = t;
      server.attach(t.streams);
    },
    close: () => server.close(),
  };
}

/** Listens and serves this instance at once. */
export async function startServingServer(
  options: ServingServerOptions & { readonly streams: KafkaStreams; readonly serving: ServingTopology },
): Promise<ServingServer> {
  const server = await openServingServer(options);
  server.attach({ streams: options.streams, serving: options.serving });
  return server;
}
