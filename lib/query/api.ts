// `modelstream/query`: an HTTP server for interactive queries over a KafkaStreams instance (hono
// on node:http). It serves /health and /metrics itself; an application mounts its own routes
// (a hono app) and adds its own metrics to the Prometheus registry.
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { KafkaStreams } from '../runtime/kafka-streams.ts';
import type { HostInfo } from '../runtime/metadata.ts';

export { openQueryServer, startQueryServer, QueryServerListenError, DEFAULT_QUERY_PORT } from './server.ts';
export { NotAttachedError } from './app.ts';
export type { HostInfo } from '../runtime/metadata.ts';

/** What the generic routes and metrics read: the attached instance. */
export interface QueryTarget {
  readonly streams: KafkaStreams;
}

/** What an application's routes and metrics may read of the server. */
export interface QueryContext {
  /** The instance once attached; until then a route should throw `NotAttachedError` (answered 503). */
  streams(): KafkaStreams | undefined;
  /** This instance as the others know it (its application.server), known once listening. */
  self(): HostInfo;
}

export interface QueryServerOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The host other instances reach this one at, as in its application.server (default: `host`). */
  readonly advertisedHost?: string;
  /** Default 8888; 0 picks a free port (read it back from the result). */
  readonly port?: number;
  /** The application's routes, mounted at `/`; errors they throw are answered as JSON. */
  readonly routes?: (context: QueryContext) => Hono;
  /** Adds the application's own series to the registry behind `GET /metrics`. */
  readonly metrics?: (registry: Registry, context: QueryContext) => void;
  /** Records the application skipped itself, by reason; added to `modelstream_records_skipped_total`. */
  readonly skipped?: (context: QueryContext) => Readonly<{ [reason: string]: number }>;
}

/** `GET /health`: 200 when RUNNING and the cluster answers, 503 otherwise. STARTING: the server listens but the instance is not attached yet. */
export interface Health {
  readonly status: 'UP' | 'DOWN';
  readonly state: KafkaStreams['state'] | 'STARTING';
  readonly error?: string;
}

/** A listening query server. */
export interface QueryServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /** Starts answering for this instance; until then /health answers 503. */
  attach(streams: KafkaStreams): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

// The generic interactive-query layer for any topology
export { createInteractiveQueryApp, healthOf } from './interactive/query-app.ts';
export type { InteractiveQueryOptions, InteractiveQueryApp, InstanceHealth, InstanceDescription } from './interactive/query-app.ts';
export { openInteractiveQueryServer, QueryListenError } from './interactive/query-server.ts';
export type { InteractiveQueryServer, InteractiveQueryServerOptions } from './interactive/query-server.ts';
export type { QueryableInstance, InstanceSource, BrokerConnection, EngineMetrics } from './interactive/instance.ts';
export { storeCodec } from './interactive/codecs.ts';
export type { StoreCodec, StoreCodecs } from './interactive/codecs.ts';
export type { PageLimits } from './interactive/store-routes.ts';
export { FORWARDED_FROM_HEADER, SERVED_BY_HEADER } from './interactive/forward.ts';
export { UnknownStoreError, BadQueryError, InstanceNotAttachedError, NotOwnerError, ForwardingError } from './interactive/errors.ts';
export { registerEngineMetrics } from './interactive/engine-metrics.ts';
export type { EngineMetricsOptions } from './interactive/engine-metrics.ts';
export { driverInstance } from './interactive/driver-instance.ts';
export type { DriverInstance, DriverInstanceOptions } from './interactive/driver-instance.ts';
