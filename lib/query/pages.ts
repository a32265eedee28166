// One page of a key range of a local store, in serialized-key order. The store view spans every
// local task and iterates task by task, so the page is the smallest `limit` keys past the cursor.
import type { Serde } from '../streams/api/serde.ts';
import type { ReadOnlyKeyValueStore } from '../state/api/store.ts';
import { compareBytes } from './codecs.ts';
import type { QueryableInstance } from './instance.ts';

export interface PageRequest {
  /** Inclusive bounds, as the store's `range` takes them; either may be absent. */
  readonly from?: unknown;
  readonly to?: unknown;
  /** Serialized key of the previous page's last entry: this page starts after it. */
  readonly after?: Uint8Array;
  readonly limit: number;
}

export interface PageEntry {
  readonly key: unknown;
  readonly value: unknown;
  readonly keyBytes: Uint8Array;
}

export interface Page {
  readonly entries: readonly PageEntry[];
  /** Set when more entries follow: the serialized key to resume after. */
  readonly lastKeyBytes?: Uint8Array;
}

export function readPage(store: ReadOnlyKeyValueStore<unknown, unknown>, keySerde: Serde<unknown>, request: PageRequest): Page {
  const { after, limit } = request;
  let lower = request.from;
  if (after && (lower === undefined || compareBytes(keySerde.serialize(lower), after) < 0)) lower = keySerde.deserialize(after);
  // One more than the page holds, to know whether another page follows.
  const keep = limit + 1;
  const best: PageEntry[] = [];
  for (const { key, value } of store.range(lower, request.to)) {
    const keyBytes = keySerde.serialize(key);
    if (after && compareBytes(keyBytes, after) <= 0) continue;
    if (best.length === keep && compareBytes(keyBytes, best[keep - 1]!.keyBytes) >= 0) continue;
    const at = insertionPoint(best, keyBytes);
    if (at < best.length && compareBytes(best[at]!.keyBytes, keyBytes) === 0) continue;
    best.splice(at, 0, { key, value, keyBytes });
    if (best.length > keep) best.pop();
  }
  if (best.length <= limit) return { entries: best };
  const entries = best.slice(0, limit);
  return { entries, lastKeyBytes: entries[entries.length - 1]!.keyBytes };
}

function insertionPoint(sorted: readonly PageEntry[], keyBytes: Uint8Array): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(sorted[mid]!.keyBytes, keyBytes) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** This instance's page: read here, or gathered from its stream threads when the stores live there. */
export function readLocalPage(instance: QueryableInstance, store: string, keySerde: Serde<unknown>, request: PageRequest): Promise<Page> | Page {
  if (instance.readPage) return instance.readPage(store, keySerde, request);
  return readPage(instance.store<unknown, unknown>(store), keySerde, request);
}
