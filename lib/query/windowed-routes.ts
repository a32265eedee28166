// Routes of window and session stores: one key's windows in a time range (or its sessions),
// served where the key's partition lives (forwarded once if elsewhere, as key lookups are),
// and every key's windows or sessions of this instance, or of every instance with `?scope=all`.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { KeyValue } from '../streams/api/record.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore, Windowed } from '../state/api/window-store.ts';
import { StoreTypeError } from '../state/api/store.ts';
import type { HostInfo } from '../runtime/metadata.ts';
import type { ResolvedCodec } from './codecs.ts';
import { BadQueryError, NotOwnerError, isStoreNotOpen } from './errors.ts';
import { FORWARDED_FROM_HEADER, SERVED_BY_HEADER, askInstance } from './forward.ts';
import { formatHostPort, parseHostPort, sameHost, type QueryableInstance, type WindowedRead, type WindowedReadResult } from './instance.ts';

export interface WindowedRoutesOptions {
  readonly instance: () => QueryableInstance;
  readonly self: () => HostInfo;
  readonly codecFor: (instance: QueryableInstance, store: string) => ResolvedCodec;
  readonly forwardTimeoutMs: number;
  /** The most windows or sessions one answer lists (`?limit=` cuts it further). */
  readonly maxEntries: number;
}

/** A window or session of one key, as answers list them. */
interface WindowJson {
  readonly key?: unknown;
  readonly start: number;
  readonly end?: number;
  readonly value: unknown;
  readonly timestamp?: number;
}

/**
 * `GET /stores/:store/windows/:key?from=&to=`, `GET /stores/:store/windows?from=&to=[&scope=all]`,
 * `GET /stores/:store/sessions/:key`, `GET /stores/:store/sessions[?scope=all]`.
 */
export function addWindowedRoutes(routes: Hono, options: WindowedRoutesOptions): void {
  const windowStore = (instance: QueryableInstance, store: string): ReadOnlyWindowStore<unknown, unknown> => {
    if (!instance.windowStore) throw new BadQueryError(`this instance does not serve window stores`);
    return instance.windowStore(store);
  };
  const sessionStore = (instance: QueryableInstance, store: string): ReadOnlySessionStore<unknown, unknown> => {
    if (!instance.sessionStore) throw new BadQueryError(`this instance does not serve session stores`);
    return instance.sessionStore(store);
  };

  // An instance whose stores live on other threads answers through readWindowed, asynchronously.
  const read = <R extends WindowedRead<unknown>>(instance: QueryableInstance, store: string, what: R, sync: () => WindowedReadResult<unknown, unknown, R>) =>
    instance.readWindowed ? instance.readWindowed<unknown, unknown, R>(store, what, options.codecFor(instance, store).keySerde) : sync();

  routes.get('/stores/:store/windows/:key', (c) => byKey(c, options, async (instance, store, key) => {
    const { from, to } = timeRange(c);
    const found = await read(instance, store, { kind: 'windowFetch', key, from, to }, () => windowStore(instance, store).fetchRange(key, from, to));
    return found.map((w) => ({ start: w.windowStart, value: w.value, timestamp: w.timestamp }));
  }, 'windows'));

  routes.get('/stores/:store/sessions/:key', (c) => byKey(c, options, async (instance, store, key) =>
    (await read(instance, store, { kind: 'sessionFetch', key }, () => sessionStore(instance, store).fetch(key)))
      .map((s) => ({ start: s.key.window.start, end: s.key.window.end, value: s.value })), 'sessions'));

  routes.get('/stores/:store/windows', (c) => everyKey(c, options, (instance, store) => {
    const { from, to } = timeRange(c);
    return read(instance, store, { kind: 'windowFetchAll', from, to }, () => windowStore(instance, store).fetchAll(from, to));
  }, 'windows'));

  routes.get('/stores/:store/sessions', (c) => everyKey(c, options, (instance, store) =>
    read(instance, store, { kind: 'sessionAll' }, () => sessionStore(instance, store).all()), 'sessions'));
}

type Read<T> = (instance: QueryableInstance, store: string, key: unknown) => T | Promise<T>;

async function byKey(c: Context, options: WindowedRoutesOptions, read: Read<WindowJson[]>, field: 'windows' | 'sessions') {
  const instance = options.instance();
  const store = c.req.param('store')!;
  const codec = options.codecFor(instance, store);
  const key = codec.parseKey(c.req.param('key')!);
  const me = options.self();
  const forwardedFrom = forwardedFromOf(c.req.header(FORWARDED_FROM_HEADER));
  // A windowed store is partitioned by the record key, as its aggregation's input.
  const metadata = instance.queryMetadataForKey(store, key, codec.keySerde);
  const owner = metadata?.activeHost;
  const elsewhere = owner !== undefined && !sameHost(owner, me);
  if (elsewhere && !forwardedFrom && c.req.query('local') !== 'true') {
    const url = new URL(c.req.url);
    const answer = await askInstance({ to: owner, pathAndQuery: url.pathname + url.search, self: me, timeoutMs: options.forwardTimeoutMs });
    return c.json(answer.body as object, answer.status as ContentfulStatusCode, { [SERVED_BY_HEADER]: answer.servedBy ?? formatHostPort(owner) });
  }
  if (elsewhere && forwardedFrom) throw new NotOwnerError(owner);
  const found = (await read(instance, store, key)).slice(0, parseLimit(c, options.maxEntries));
  c.header(SERVED_BY_HEADER, formatHostPort(me));
  const entries = found.map((w) => ({ ...w, value: codec.valueJson(w.value) }));
  return c.json({
    store, key: codec.keyJson(key), [field]: entries,
    ...(metadata ? { partition: metadata.partition } : {}), servedBy: me, ...(forwardedFrom ? { forwardedFrom } : {}),
  });
}

type ReadAll = (instance: QueryableInstance, store: string) => KeyValue<Windowed<unknown>, unknown>[] | Promise<KeyValue<Windowed<unknown>, unknown>[]>;

/** A share failed to answer: reported, and the others' entries served. */
type ShareReport = { readonly host: string; readonly port: number; readonly status: 'ok' | 'failed'; readonly error?: string };

async function everyKey(c: Context, options: WindowedRoutesOptions, read: ReadAll, field: 'windows' | 'sessions') {
  const instance = options.instance();
  const store = c.req.param('store')!;
  const codec = options.codecFor(instance, store);
  const limit = parseLimit(c, options.maxEntries);
  const scope = c.req.query('scope') ?? 'local';
  if (scope !== 'local' && scope !== 'all') throw new BadQueryError(`scope must be "local" or "all": got "${scope}"`);
  const me = options.self();
  const forwardedFrom = forwardedFromOf(c.req.header(FORWARDED_FROM_HEADER));
  c.header(SERVED_BY_HEADER, formatHostPort(me));
  const local = async (): Promise<WindowJson[]> => (await read(instance, store)).map((e) => ({
    key: codec.keyJson(e.key.key), start: e.key.window.start, end: e.key.window.end, value: codec.valueJson(e.value),
  }));
  // A peer's share is never fanned out again: one hop at most.
  if (scope === 'local' || forwardedFrom) {
    return c.json({ store, [field]: (await local()).sort(byKeyThenStart).slice(0, limit), servedBy: me, ...(forwardedFrom ? { forwardedFrom } : {}) });
  }
  const holders = instance.allMetadata().filter((m) => m.storeNames.includes(store));
  const peers = holders.filter((m) => !sameHost(m, me));
  const url = new URL(c.req.url);
  url.searchParams.delete('scope');
  const shares = await Promise.all(peers.map(async (peer): Promise<{ report: ShareReport; entries: WindowJson[] }> => {
    const at = { host: peer.host, port: peer.port };
    try {
      const answer = await askInstance({ to: at, pathAndQuery: url.pathname + url.search, self: me, timeoutMs: options.forwardTimeoutMs });
      const body = answer.body as { [f: string]: unknown; error?: string };
      if (answer.status !== 200) return { report: { ...at, status: 'failed', error: body.error ?? `HTTP ${answer.status}` }, entries: [] };
      return { report: { ...at, status: 'ok' }, entries: body[field] as WindowJson[] };
    } catch (err) {
      return { report: { ...at, status: 'failed', error: (err as Error).message }, entries: [] };
    }
  }));
  let mine: WindowJson[] = [];
  const reports: ShareReport[] = [];
  try {
    mine = await local();
    reports.push({ ...me, status: 'ok' });
  } catch (err) {
    // No local share open (none assigned, mid-rebalance, its stream thread gone): the peers' shares still answer.
    if (!isStoreNotOpen(err) || err instanceof StoreTypeError) throw err;
    if (holders.some((m) => sameHost(m, me))) reports.push({ ...me, status: 'failed', error: (err as Error).message });
  }
  const all = [...mine, ...shares.flatMap((s) => s.entries)].sort(byKeyThenStart);
  return c.json({ store, scope, [field]: all.slice(0, limit), instances: [...reports, ...shares.map((s) => s.report)], servedBy: me });
}

function byKeyThenStart(a: WindowJson, b: WindowJson): number {
  const ka = JSON.stringify(a.key);
  const kb = JSON.stringify(b.key);
  return ka < kb ? -1 : ka > kb ? 1 : a.start - b.start;
}

function timeRange(c: Context): { from: number; to: number } {
  const time = (name: 'from' | 'to', fallback: number) => {
    const text = c.req.query(name);
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new BadQueryError(`${name} must be a time in ms: got "${text}"`);
    return n;
  };
  const from = time('from', 0);
  const to = time('to', Number.MAX_SAFE_INTEGER);
  if (to < from) throw new BadQueryError(`to (${to}) is before from (${from})`);
  return { from, to };
}

function parseLimit(c: Context, max: number): number {
  const text = c.req.query('limit');
  if (text === undefined || text === '') return max;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new BadQueryError(`limit must be a whole number from 1 (to ${max}): got "${text}"`);
  return Math.min(n, max);
}

function forwardedFromOf(header: string | undefined): HostInfo | undefined {
  return header === undefined ? undefined : parseHostPort(header) ?? { host: header, port: 0 };
}
