// The serving application's query server: the library's query server (instance metadata, store
// lookups and ranges, /health, /metrics) with the serving routes mounted and the serving metrics added.
import { openQueryServer, type QueryServerOptions } from '../../lib/query/index.ts';
import type { HostInfo, KafkaStreams } from '../../lib/index.ts';
import type { ServingTopology } from '../api.ts';
import { readerOf, type ServingRoutesOptions, type ServingTarget } from './api.ts';
import { registerServingMetrics } from './metrics.ts';
import { servingRoutes } from './routes.ts';
import { dashboardRoutes } from './dashboard.ts';

export interface ServingServerOptions extends Omit<QueryServerOptions, 'instance' | 'extend' | 'skipped'>,
  Pick<ServingRoutesOptions, 'peerTimeoutMs' | 'defaultDataType' | 'commands'> {}

/** A listening query server of the serving application. */
export interface ServingServer {
  readonly host: string;
  readonly port: number;
  /** As advertised: the instance's `applicationServer`. */
  readonly self: HostInfo;
  readonly applicationServer: string;
  readonly url: string;
  /** Starts answering for this instance; until then /state/*, /stores/* and /health answer 503. */
  attach(target: ServingTarget): void;
  close(): Promise<void>;
}

/** Listens first and serves an instance attached later (the port is needed for application.server). */
export async function openServingServer(options: ServingServerOptions = {}): Promise<ServingServer> {
  const { peerTimeoutMs, defaultDataType, commands, ...queryOptions } = options;
  let target: ServingTarget | undefined;
  const server = await openQueryServer({
    ...queryOptions,
    extend: (app, context) => {
      app.route('/', servingRoutes({
        target: () => target, self: context.self,
        ...(peerTimeoutMs !== undefined ? { peerTimeoutMs } : {}),
        ...(defaultDataType !== undefined ? { defaultDataType } : {}),
        ...(commands !== undefined ? { commands } : {}),
      }));
      app.route('/', dashboardRoutes({ target: () => target, self: context.self }));
    },
    // Bad input the serving topology skipped, by its fixed set of reasons.
    skipped: async () => (target ? await readerOf(target).badInput() : {}),
  });
  registerServingMetrics(server.registry, () => target);
  return {
    host: server.host,
    port: server.port,
    self: server.self,
    applicationServer: server.applicationServer,
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
  const { streams, serving, ...rest } = options;
  const server = await openServingServer(rest);
  server.attach({ streams, serving });
  return server;
}
