// Store routes: a key looked up where its partition lives (forwarded once if elsewhere), and
// pages of a key range of this instance's share of a store, or of every instance's.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidStateStoreError } from '../state/api/store.ts';
import type { HostInfo } from '../runtime/metadata.ts';
import { decodeCursor, encodeCursor, resolveCodec, type ResolvedCodec, type StoreCodecs } from './codecs.ts';
import { BadQueryError, NotOwnerError, UnknownStoreError } from './errors.ts';
import { FORWARDED_FROM_HEADER, SERVED_BY_HEADER, askInstance } from './forward.ts';
import { formatHostPort, parseHostPort, sameHost, type QueryableInstance } from './instance.ts';
import { readLocalPage } from './pages.ts';
import { readMergedPage } from './scan.ts';
import { addWindowedRoutes } from './windowed-routes.ts';

export interface PageLimits {
  /** Entries per page without `?limit=` (default 100). */
  readonly default: number;
  /** The most a page holds; a larger `?limit=` is cut to it (default 1000). */
  readonly max: number;
}

export interface StoreRoutesOptions {
  readonly instance: () => QueryableInstance;
  readonly self: () => HostInfo;
  /** Registered stores; without it every store the instances list is queryable with the defaults. */
  readonly stores?: StoreCodecs;
  /** How long a forwarded lookup, or one instance's share of a scan, is waited for. */
  readonly forwardTimeoutMs: number;
  readonly pageLimits: PageLimits;
}

/** `GET /stores`, `GET /stores/:store/keys/:key`, `GET /stores/:store/entries[?scope=all]`, and the windowed routes. */
export function createStoreRoutes(options: StoreRoutesOptions): Hono {
  const routes = new Hono();
  const codecs = new Map<string, ResolvedCodec>();

  const storeNames = (instance: QueryableInstance): string[] => {
    if (options.stores) return Object.keys(options.stores).sort();
    return [...new Set(instance.allMetadata().flatMap((m) => m.storeNames))].sort();
  };

  const codecFor = (instance: QueryableInstance, store: string): ResolvedCodec => {
    if (options.stores && !Object.hasOwn(options.stores, store)) throw new UnknownStoreError(store);
    const listed = instance.allMetadata();
    if (!listed.some((m) => m.storeNames.includes(store))) {
      if (listed.length > 0) throw new UnknownStoreError(store);
      // Before the first rebalance no instance is listed: an unregistered name may yet exist.
      if (!options.stores) throw new InvalidStateStoreError(`the instances are not known yet (state ${instance.state}): retry shortly`);
    }
    let codec = codecs.get(store);
    if (!codec) codecs.set(store, (codec = resolveCodec(options.stores?.[store])));
    return codec;
  };

  routes.get('/stores', (c) => {
    const instance = options.instance();
    const listed = instance.allMetadata();
    return c.json(storeNames(instance).map((name) => ({
      name,
      instances: listed.filter((m) => m.storeNames.includes(name)).map(({ host, port }) => ({ host, port })),
    })));
  });

  routes.get('/stores/:store/keys/:key', async (c) => {
    const instance = options.instance();
    const store = c.req.param('store');
    const codec = codecFor(instance, store);
    const key = codec.parseKey(c.req.param('key'));
    const me = options.self();
    const forwardedFrom = forwardedFromOf(c.req.header(FORWARDED_FROM_HEADER));
    const localOnly = c.req.query('local') === 'true';
    const metadata = instance.queryMetadataForKey(store, key, codec.keySerde);
    const owner = metadata?.activeHost;
    const elsewhere = owner !== undefined && !sameHost(owner, me);

    if (elsewhere && !forwardedFrom && !localOnly) {
      const url = new URL(c.req.url);
      const answer = await askInstance({ to: owner, pathAndQuery: url.pathname + url.search, self: me, timeoutMs: options.forwardTimeoutMs });
      return c.json(answer.body as object, answer.status as ContentfulStatusCode, { [SERVED_BY_HEADER]: answer.servedBy ?? formatHostPort(owner) });
    }
    // No owner known: a global store (on every instance), or metadata not yet in: ask the local share.
    const value = instance.readKey ? await instance.readKey(store, key, codec.keySerde) : instance.store<unknown, unknown>(store).get(key);
    const hop = { servedBy: me, ...(forwardedFrom ? { forwardedFrom } : {}) };
    c.header(SERVED_BY_HEADER, formatHostPort(me));
    if (value === undefined) {
      if (elsewhere && forwardedFrom) throw new NotOwnerError(owner);
      const where = elsewhere ? { owner } : {};
      return c.json({ error: 'key not found', store, key: codec.keyJson(key), ...where, ...hop }, 404);
    }
    const partition = metadata ? { partition: metadata.partition } : {};
    return c.json({ store, key: codec.keyJson(key), value: codec.valueJson(value), ...partition, ...hop });
  });

  routes.get('/stores/:store/entries', async (c) => {
    const instance = options.instance();
    const store = c.req.param('store');
    const codec = codecFor(instance, store);
    const limit = parseLimit(c.req.query('limit'), options.pageLimits);
    const scope = parseScope(c.req.query('scope'));
    const param = (name: 'from' | 'to') => {
      const text = c.req.query(name);
      return text === undefined || text === '' ? undefined : codec.parseKey(text);
    };
    const cursor = c.req.query('cursor');
    const range = { from: param('from'), to: param('to'), limit, ...(cursor ? { after: decodeCursor(cursor, codec.keySerde) } : {}) };
    const me = options.self();
    const forwardedFrom = forwardedFromOf(c.req.header(FORWARDED_FROM_HEADER));
    c.header(SERVED_BY_HEADER, formatHostPort(me));

    // A peer's share of a scan is never fanned out again: the scan makes one hop at most.
    if (scope === 'all' && !forwardedFrom) {
      const page = await readMergedPage({ instance, self: me, store, codec, ...range, url: new URL(c.req.url), timeoutMs: options.forwardTimeoutMs });
      return c.json({ store, scope, entries: page.entries, limit, ...(page.next ? { next: page.next } : {}), instances: page.instances, servedBy: me });
    }
    const page = await readLocalPage(instance, store, codec.keySerde, range);
    return c.json({
      store,
      // For the scan that asked: each entry's own cursor carries its serialized key, to merge by.
      entries: page.entries.map((e) => ({ key: codec.keyJson(e.key), value: codec.valueJson(e.value), ...(forwardedFrom ? { cursor: encodeCursor(e.keyBytes) } : {}) })),
      limit,
      ...(page.lastKeyBytes ? { next: encodeCursor(page.lastKeyBytes) } : {}),
      servedBy: me,
      ...(forwardedFrom ? { forwardedFrom } : {}),
    });
  });

  addWindowedRoutes(routes, { instance: options.instance, self: options.self, codecFor, forwardTimeoutMs: options.forwardTimeoutMs, maxEntries: options.pageLimits.max });
  return routes;
}

function parseLimit(text: string | undefined, limits: PageLimits): number {
  if (text === undefined || text === '') return limits.default;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new BadQueryError(`limit must be a whole number from 1 (to ${limits.max}): got "${text}"`);
  return Math.min(n, limits.max);
}

function parseScope(text: string | undefined): 'local' | 'all' {
  if (text === undefined || text === '' || text === 'local') return 'local';
  if (text === 'all') return 'all';
  throw new BadQueryError(`scope must be "local" or "all": got "${text}"`);
}

// A header that is not host:port still names who forwarded: keep it as a host.
function forwardedFromOf(header: string | undefined): HostInfo | undefined {
  return header === undefined ? undefined : parseHostPort(header) ?? { host: header, port: 0 };
}
