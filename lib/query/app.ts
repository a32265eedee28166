// The generic routes of the interactive-query server, as a hono app over a target that may be
// attached after the server listens (the port must be known before KafkaStreams is built, since
// it advertises it as application.server): /health, /metrics, JSON 404 and 500. The
// application's own routes are mounted on it.
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { Health, QueryContext, QueryTarget } from './api.ts';
import { createMetricsRegistry } from './metrics.ts';

export interface QueryAppOptions {
  readonly context: QueryContext;
  /** The application's routes, mounted at `/`. */
  readonly routes?: Hono;
  readonly metrics?: (registry: Registry, context: QueryContext) => void;
  readonly skipped?: (context: QueryContext) => Readonly<{ [reason: string]: number }>;
}

/** Thrown by a route that needs the instance before it is attached; answered 503. */
export class NotAttachedError extends Error {
  override readonly name = 'NotAttachedError';
  constructor(message = 'the instance is starting; try again shortly', options?: ErrorOptions) {
    super(message, options);
  }
}

export function createQueryApp(options: QueryAppOptions): Hono {
  const app = new Hono();
  const target = (): QueryTarget | undefined => {
    const streams = options.context.streams();
    return streams ? { streams } : undefined;
  };
  const registry = createMetricsRegistry(target, () => options.skipped?.(options.context) ?? {});
  options.metrics?.(registry, options.context);
  app.get('/health', (c) => {
    const t = target();
    const state = t?.streams.state ?? 'STARTING';
    // RUNNING survives a broker outage (as in Kafka Streams): the connection decides too.
    const connection = t?.streams.brokerConnection();
    const error = t?.streams.error?.message ?? (connection?.status === 'disconnected' ? connection.reason : undefined);
    const up = state === 'RUNNING' && connection?.status === 'connected';
    const body: Health = { status: up ? 'UP' : 'DOWN', state, ...(error ? { error } : {}) };
    return c.json(body, up ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const text = await registry.metrics();
    return c.text(text, 200, { 'content-type': registry.contentType });
  });

  // Mounted after /health and /metrics, which the application cannot shadow.
  if (options.routes) app.route('/', options.routes);

  app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404));

  // A failing route answers JSON and the server goes on; a store closed mid-rebalance is 503.
  app.onError((err, c) => {
    const unavailable = err instanceof NotAttachedError || err.name === 'InvalidStateStoreError';
    return c.json({ error: err.message, name: err.name, path: c.req.path }, unavailable ? 503 : 500);
  });
  return app;
}
