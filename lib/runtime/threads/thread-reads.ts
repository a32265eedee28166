// Reads of a store whose tasks are spread over stream threads: each thread reads its own share
// (synchronously, where the stores live) and the instance combines the answers.
import type { KeyValue } from '../../streams/api/record.ts';
import { compareBytes } from '../../query/codecs.ts';
import { isStoreNotOpen } from '../../query/errors.ts';
import type { Page, PageEntry } from '../../query/pages.ts';
import type { ThreadHandle } from './thread-handle.ts';
import type { PageOp, StoreOp } from './protocol.ts';
import type { WindowedRead, WindowedReadResult } from '../../query/instance.ts';

/**
 * A store read through `ThreadedStreams.queryStore`: key-value reads, and window and session
 * reads (`windowFetch` of a key's windows in a time range, `windowFetchAll`, `sessionFetch`, `sessionAll`).
 */
export type StoreQuery<K, V> =
  | { readonly kind: 'get'; readonly key: K }
  | { readonly kind: 'range'; readonly from?: K; readonly to?: K }
  | { readonly kind: 'all' }
  | { readonly kind: 'approximateNumEntries' }
  | WindowedRead<K>;

export type StoreQueryResult<K, V, Q extends StoreQuery<K, V>> =
  Q extends { kind: 'get' } ? V | undefined
    : Q extends { kind: 'approximateNumEntries' } ? number
      : Q extends WindowedRead<K> ? WindowedReadResult<K, V, Q>
        : KeyValue<K, V>[];

/**
 * Asks each thread; a thread with no open share of the store (InvalidStateStoreError, or it
 * exited during the read: StreamThreadUnavailableError) has none of it, and only when no thread has one does the read fail, with the first thread's error.
 */
async function fromEach<T>(threads: readonly ThreadHandle[], ask: (t: ThreadHandle) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(threads.map(ask));
  const values: T[] = [];
  let notOpen: unknown;
  for (const s of settled) {
    if (s.status === 'fulfilled') values.push(s.value);
    else if (isStoreNotOpen(s.reason)) notOpen ??= s.reason;
    else throw s.reason;
  }
  if (values.length === 0 && notOpen) throw notOpen;
  return values;
}

export async function storeQuery(threads: readonly ThreadHandle[], store: string, op: StoreOp): Promise<unknown> {
  const answers = await fromEach(threads, (t) => t.request<unknown>({ type: 'store', store, op }));
  switch (op.kind) {
    case 'get': return answers.find((v) => v !== undefined);
    case 'approximateNumEntries': return (answers as number[]).reduce((a, b) => a + b, 0);
    default: return (answers as unknown[][]).flat();
  }
}

/**
 * One page over every thread's share, merged in serialized-key order as the query layer merges
 * instances: a share with more to come is known only up to its last key, so the page stops there.
 */
export async function pageQuery(threads: readonly ThreadHandle[], store: string, page: PageOp): Promise<Page> {
  const pages = await fromEach(threads, (t) => t.request<Page>({ type: 'page', store, page }));
  let horizon: Uint8Array | undefined;
  const all: PageEntry[] = [];
  let more = false;
  for (const p of pages) {
    all.push(...p.entries);
    if (p.lastKeyBytes) {
      more = true;
      if (horizon === undefined || compareBytes(p.lastKeyBytes, horizon) < 0) horizon = p.lastKeyBytes;
    }
  }
  all.sort((a, b) => compareBytes(a.keyBytes, b.keyBytes));
  const merged = all.filter((e, i) => (i === 0 || compareBytes(all[i - 1]!.keyBytes, e.keyBytes) !== 0)
    && (horizon === undefined || compareBytes(e.keyBytes, horizon) <= 0));
  const entries = merged.slice(0, page.limit);
  const last = entries[entries.length - 1];
  return last && (more || merged.length > page.limit) ? { entries, lastKeyBytes: last.keyBytes } : { entries };
}
