// `modelstream/query`: interactive queries over HTTP (hono) for any topology — instance metadata,
// key lookups forwarded to the owner, ranges of one or every instance, /health and /metrics —
// over a KafkaStreams instance or, for tests, a TopologyTestDriver. Anything not listed is internal.
export { createQueryApp } from './app.ts';
export type { QueryApp, QueryAppOptions, QueryContext, InstanceDescription } from './app.ts';
export { openQueryServer, DEFAULT_QUERY_PORT } from './server.ts';
export type { QueryServer, QueryServerOptions } from './server.ts';
export { healthOf } from './health.ts';
export type { InstanceHealth } from './health.ts';
export type { QueryableInstance, InstanceSource, EngineMetrics } from './instance.ts';
export { storeCodec } from './codecs.ts';
export type { StoreCodec, StoreCodecs } from './codecs.ts';
export type { PageLimits } from './store-routes.ts';
export type { ShareReport } from './scan.ts';
export { FORWARDED_FROM_HEADER, SERVED_BY_HEADER } from './forward.ts';
export { UnknownStoreError, BadQueryError, NotAttachedError, NotOwnerError, ForwardingError, QueryServerListenError } from './errors.ts';
export { registerEngineMetrics } from './metrics.ts';
export type { EngineMetricsOptions } from './metrics.ts';
export { driverInstance } from './driver-instance.ts';
export type { DriverInstance, DriverInstanceOptions } from './driver-instance.ts';
