// The interactive-query app for any topology: instance metadata, store lookups (forwarded to the
// key's owner), ranges, health and Prometheus metrics, with room for the application's routes.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Registry } from 'prom-client';
import type { HostInfo } from '../runtime/metadata.ts';
import type { StoreCodecs } from './codecs.ts';
import { BadQueryError, ForwardingError, NotAttachedError, NotOwnerError, UnknownStoreError, isStoreNotOpen } from './errors.ts';
import { healthOf } from './health.ts';
import { resolveInstance, sameHost, type InstanceSource, type QueryableInstance } from './instance.ts';
import { registerEngineMetrics } from './metrics.ts';
import { createStoreRoutes, type PageLimits } from './store-routes.ts';

/** What the application's routes may read: the instance once attached, and this instance's address. */
export interface QueryContext {
  /** Undefined until attached; a route then throws `NotAttachedError` (answered 503). */
  instance(): QueryableInstance | undefined;
  /** This instance as the others reach it (its applicationServer). */
  self(): HostInfo;
}

export interface QueryAppOptions {
  /** The instance, or a getter for one attached later (routes answer 503 until then). */
  readonly instance: InstanceSource;
  /** This instance as the others reach it: its `applicationServer`. */
  readonly self: HostInfo | (() => HostInfo);
  /** Queryable stores and their codecs; without it every listed store, with string keys. */
  readonly stores?: StoreCodecs;
  /** How long a forwarded lookup, or another instance's share of a scan, is waited for (default 2000 ms). */
  readonly forwardTimeoutMs?: number;
  readonly pageLimits?: Partial<PageLimits>;
  /** `/metrics` serves this registry, with the engine's metrics added (default: a new one). */
  readonly registry?: Registry;
  /** Node's process metrics on the registry (default: only when the registry is created here). */
  readonly processMetrics?: boolean;
  /** Records the application skipped itself, by reason: added to `modelstream_records_skipped_total`. */
  readonly skipped?: () => Readonly<{ [reason: string]: number }> | Promise<Readonly<{ [reason: string]: number }>>;
  /** Mounts the application's own routes (`app.route('/state', sub)`); they get the JSON 404/500/503 too. */
  readonly extend?: (app: Hono, context: QueryContext) => void;
  /** Told of every 5xx a route answers, with its cause. */
  readonly onError?: (err: Error, path: string) => void;
}

/** `GET /instances`: one entry per instance; partitions as Kafka prints them, `topic-partition`. */
export interface InstanceDescription extends HostInfo {
  readonly self: boolean;
  readonly storeNames: readonly string[];
  readonly partitions: readonly string[];
  readonly tasks: readonly string[];
}

export interface QueryApp {
  readonly app: Hono;
  /** The registry `/metrics` serves: add the application's metrics to it. */
  readonly registry: Registry;
}

export function createQueryApp(options: QueryAppOptions): QueryApp {
  const app = new Hono();
  const self = typeof options.self === 'function' ? options.self : () => options.self as HostInfo;
  const attached = () => resolveInstance(options.instance);
  const instance = (): QueryableInstance => {
    const found = attached();
    if (!found) throw new NotAttachedError();
    return found;
  };
  const registry = registerEngineMetrics({
    instance: options.instance,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.processMetrics !== undefined ? { processMetrics: options.processMetrics } : {}),
    ...(options.skipped ? { skipped: options.skipped } : {}),
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
    const health = healthOf(attached());
    return c.json(health, health.status === 'UP' ? 200 : 503);
  });

  app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));

  // After the generic routes, which the application's cannot shadow.
  options.extend?.(app, { instance: attached, self });

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

function statusOf(err: Error): ContentfulStatusCode {
  if (err instanceof HTTPException) return err.status as ContentfulStatusCode;
  if (err instanceof BadQueryError || err.name === 'StoreTypeError') return 400;
  if (err instanceof UnknownStoreError) return 404;
  if (err instanceof ForwardingError) return err.status;
  // By name: a store error may come from a store written against another copy of the library.
  if (err instanceof NotAttachedError || err instanceof NotOwnerError || isStoreNotOpen(err)) return 503;
  return 500;
}
