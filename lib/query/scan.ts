// A page of a key range across every instance holding a store: this instance's share read here,
// each other's asked over HTTP for its own page past the same cursor, all merged in
// serialized-key order. Each share is disjoint (one partition, one active owner), so the merged
// page is the smallest keys of the union, and its last key resumes every share at once.
import type { HostInfo } from '../runtime/metadata.ts';
import { compareBytes, decodeCursor, encodeCursor, type ResolvedCodec } from './codecs.ts';
import { askInstance } from './forward.ts';
import { formatHostPort, sameHost, type QueryableInstance } from './instance.ts';
import { readLocalPage } from './pages.ts';

/** How one instance took part in a merged page: it answered, or it is reported and left out. */
export type ShareReport =
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'ok'; readonly entries: number; readonly more: boolean }
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'failed'; readonly error: string };

export interface MergedEntry {
  readonly key: unknown;
  readonly value: unknown;
  readonly servedBy: HostInfo;
}

export interface MergedPage {
  readonly entries: readonly MergedEntry[];
  readonly next?: string;
  readonly instances: readonly ShareReport[];
}

export interface MergedPageRequest {
  readonly instance: QueryableInstance;
  readonly self: HostInfo;
  readonly store: string;
  readonly codec: ResolvedCodec;
  readonly from?: unknown;
  readonly to?: unknown;
  readonly after?: Uint8Array;
  readonly limit: number;
  /** `/stores/:store/entries?…` as this instance received it; peers are asked the same range. */
  readonly url: URL;
  readonly timeoutMs: number;
}

interface Share {
  readonly entries: readonly (MergedEntry & { readonly keyBytes: Uint8Array })[];
  readonly more: boolean;
}

/** The smaller of two serialized keys; undefined stands for no bound. */
function lower(a: Uint8Array | undefined, b: Uint8Array): Uint8Array {
  return a === undefined || compareBytes(b, a) < 0 ? b : a;
}

export async function readMergedPage(request: MergedPageRequest): Promise<MergedPage> {
  const { instance, self, store, codec, limit } = request;
  const holders = instance.allMetadata().filter((m) => m.storeNames.includes(store));
  // Before the first rebalance nobody is listed: this instance's share is all there is to read.
  const selfHolds = holders.length === 0 || holders.some((m) => sameHost(m, self));
  const peers = holders.filter((m) => !sameHost(m, self)).map(({ host, port }) => ({ host, port }));

  const local = async (): Promise<Share> => {
    const page = await readLocalPage(instance, store, codec.keySerde, {
      from: request.from, to: request.to, limit, ...(request.after ? { after: request.after } : {}),
    });
    return {
      entries: page.entries.map((e) => ({ key: codec.keyJson(e.key), value: codec.valueJson(e.value), servedBy: self, keyBytes: e.keyBytes })),
      more: page.lastKeyBytes !== undefined,
    };
  };

  const remote = async (peer: HostInfo): Promise<Share> => {
    const query = new URLSearchParams(request.url.search);
    query.delete('scope');
    query.set('limit', String(limit));
    const answer = await askInstance({ to: peer, pathAndQuery: `${request.url.pathname}?${query}`, self, timeoutMs: request.timeoutMs });
    const body = answer.body as { entries?: unknown; next?: unknown; error?: unknown };
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${typeof body?.error === 'string' ? body.error : 'no error given'}`);
    if (!Array.isArray(body.entries)) throw new Error('answered something that is not a page of entries');
    return {
      entries: body.entries.map((e: { key: unknown; value: unknown; cursor?: unknown }) => {
        if (typeof e.cursor !== 'string') throw new Error('answered entries without their cursors');
        return { key: e.key, value: e.value, servedBy: peer, keyBytes: decodeCursor(e.cursor, codec.keySerde) };
      }),
      more: typeof body.next === 'string',
    };
  };

  const sources = [...(selfHolds ? [{ host: self, self: true }] : []), ...peers.map((host) => ({ host, self: false }))];
  const settled = await Promise.allSettled(sources.map((s) => (s.self ? local() : remote(s.host))));

  const instances: ShareReport[] = [];
  const all: Share['entries'][number][] = [];
  let more = false;
  // A share with more to come is known only up to its last key: the page stops there, or it
  // would skip that share's next keys (a peer may cut pages shorter than this instance does).
  let horizon: Uint8Array | undefined;
  settled.forEach((result, i) => {
    const { host, self: isSelf } = sources[i]!;
    const where = { host: host.host, port: host.port, self: isSelf };
    if (result.status === 'rejected') {
      instances.push({ ...where, status: 'failed', error: (result.reason as Error).message });
      return;
    }
    instances.push({ ...where, status: 'ok', entries: result.value.entries.length, more: result.value.more });
    all.push(...result.value.entries);
    more ||= result.value.more;
    const last = result.value.entries[result.value.entries.length - 1];
    if (result.value.more && last) horizon = lower(horizon, last.keyBytes);
  });

  // A global store is whole on every instance: a key seen twice is kept once (this instance's first).
  all.sort((a, b) => compareBytes(a.keyBytes, b.keyBytes));
  const merged = all.filter((e, i) => (i === 0 || compareBytes(all[i - 1]!.keyBytes, e.keyBytes) !== 0)
    && (horizon === undefined || compareBytes(e.keyBytes, horizon) <= 0));
  const entries = merged.slice(0, limit);
  const last = entries[entries.length - 1];
  const next = last && (more || merged.length > limit) ? encodeCursor(last.keyBytes) : undefined;
  instances.sort((a, b) => formatHostPort(a).localeCompare(formatHostPort(b)));
  return {
    entries: entries.map(({ key, value, servedBy }) => ({ key, value, servedBy })),
    ...(next ? { next } : {}),
    instances,
  };
}
