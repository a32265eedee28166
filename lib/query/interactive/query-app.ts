// The interactive-query app for any topology: instance metadata, store lookups (forwarded to the
// key's owner), ranges, health and Prometheus metrics, with room for the application's routes.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Registry } from 'prom-client';
import type { HostInfo } from '../../runtime/metadata.ts';
import type { StoreCodecs } from './codecs.ts';
import { registerEngineMetrics } from './engine-metrics.ts';
import { BadQueryError, ForwardingError, InstanceNotAttachedError, NotOwnerError, UnknownStoreError } from './errors.ts';
import { resolveInstance, sameHost, type BrokerConnection, type InstanceSource, type QueryableInstance } from './instance.ts';
import { createStoreRoutes, type PageLimits } from './store-routes.ts';

export interface InteractiveQueryOptions {
  /** The instance, or a getter for one attached later (routes answer 503 until then). */
  readonly instance: InstanceSource;
  /** This instance as the others reach it: its `applicationServer`. */
  readonly self: HostInfo | (() => HostInfo);
  /** Queryable stores and their codecs; without it every listed store, with string keys. */
  readonly stores?: StoreCodecs;
  /** How long a forwarded lookup waits for the owner (default 2000 ms), then 504. */
  readonly forwardTimeoutMs?: number;
  readonly pageLimits?: Partial<PageLimits>;
  /** `/metrics` serves this registry, with the engine's metrics added (default: a new one). */
  readonly registry?: Registry;
  /** Node's process metrics on the registry (default: only when the registry is created here). */
  readonly processMetrics?: boolean;
  /** Mounts the application's own routes (`app.route('/state', sub)`); they get the JSON 404/500 too. */
  readonly extend?: (app: Hono) => void;
  /** Told of every 5xx a route answers, with its cause. */
  readonly onError?: (err: Error, path: string) => void;
}

/** `GET /health`: 200 only when RUNNING and connected to the brokers. */
export interface InstanceHealth {
  readonly status: 'UP' | 'DOWN';
  readonly state: QueryableInstance['state'] | 'STARTING';
  readonly error?: string;
  readonly broker?: BrokerConnection;
}

/** `GET /instances`: one entry per instance; partitions as Kafka prints them, `topic-partition`. */
export interface InstanceDescription extends HostInfo {
  readonly self: boolean;
  readonly storeNames: readonly string[];
  readonly partitions: readonly string[];
  readonly tasks: readonly string[];
}

export interface InteractiveQueryApp {
  readonly app: Hono;
  /** The registry `/metrics` serves: add the application's metrics to it. */
  readonly registry: Registry;
}

export function createInteractiveQueryApp(options: InteractiveQueryOptions): InteractiveQueryApp {
  const app = new Hono();
  const self = typeof options.self === 'function' ? options.self : () => options.self as HostInfo;
  const instance = (): QueryableInstance => {
    const found = resolveInstance(options.instance);
    if (!found) throw new InstanceNotAttachedError();
    return found;
  };
  const registry = registerEngineMetrics({
    instance: options.instance,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.processMetrics !== undefined ? { processMetrics: options.processMetrics } : {}),
  });

  const describe = (): InstanceDescription[] => {
    const me = self();
    return instance().allMetadata().map((m) => ({
      host: m.host, port: m.port, self: sameHost(m, me),
      storeNames: [...m.storeNames].sort(),
      partitions: [...m.topicPartitions].sort((a, b) => a.topic === b.topic ? a.partition - b.partition : a.topic.localeCompare(b.topic)).map((p) => `${p.topic}-${p.partition}`),
      tasks: [...m.tasks],
    }));
  };

  app.get('/instances', (c) => c.json({ self: self(), instances: describe() }));
  app.get('/instances/self', (c) => {
    const me = self();
    // Not listed before its first rebalance: still answer, with nothing assigned.
    const mine = describe().find((d) => d.self) ?? { ...me, self: true, storeNames: [], partitions: [], tasks: [] };
    return c.json(mine);
  });

  app.route('/', createStoreRoutes({
    instance, self,
    ...(options.stores ? { stores: options.stores } : {}),
    forwardTimeoutMs: options.forwardTimeoutMs ?? 2000,
    pageLimits: { default: options.pageLimits?.default ?? 100, max: options.pageLimits?.max ?? 1000 },
  }));

  app.get('/health', (c) => {
    const health = healthOf(resolveInstance(options.instance));
    return c.json(health, health.status === 'UP' ? 200 : 503);
  });

  app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));

  options.extend?.(app);

  app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404));
  app.onError((err, c) => {
    const status = statusOf(err);
    if (status >= 500) options.onError?.(err, c.req.path);
    const owner = err instanceof ForwardingError || err instanceof NotOwnerError ? { owner: err.owner } : {};
    const store = err instanceof UnknownStoreError ? { store: err.store } : {};
    return c.json({ error: err.message, name: err.name, path: c.req.path, ...store, ...owner }, status);
  });
  return { app, registry };
}

export function healthOf(instance: QueryableInstance | undefined): InstanceHealth {
  if (!instance) return { status: 'DOWN', state: 'STARTING', error: 'the instance is not attached yet' };
  const broker = instance.brokerConnection?.();
  const up = instance.state === 'RUNNING' && (broker === undefined || broker.status === 'connected');
  const error = instance.error?.message
    ?? (broker?.status === 'disconnected' ? `disconnected from the brokers since ${new Date(broker.since).toISOString()}: ${broker.reason}` : undefined)
    ?? (up ? undefined : `the instance is ${instance.state}`);
  return { status: up ? 'UP' : 'DOWN', state: instance.state, ...(error ? { error } : {}), ...(broker ? { broker } : {}) };
}

function statusOf(err: Error): ContentfulStatusCode {
  if (err instanceof HTTPException) return err.status as ContentfulStatusCode;
  if (err instanceof BadQueryError) return 400;
  if (err instanceof UnknownStoreError) return 404;
  if (err instanceof ForwardingError) return err.status;
  // By name: a store error may come from a store written against another copy of the library.
  if (err instanceof InstanceNotAttachedError || err instanceof NotOwnerError || err.name === 'InvalidStateStoreError') return 503;
  return 500;
}
