// Published stores: the contents of a few small stores (statistics, say) that each stream
// thread posts to the instance after its commits, so that the instance answers reads of them
// at once instead of waiting until a thread busy with a batch reads its own stores. What the
// instance answers from is at most one commit interval old (plus the message's way across);
// during a rebalance a task that moved can show on both threads, or neither, until each commits.
import type { KeyValue } from '../../streams/api/record.ts';
import type { ReadOnlyKeyValueStore, StateStore } from '../../state/api/store.ts';
import type { KafkaStreams } from '../kafka-streams.ts';

/**
 * A store a thread publishes: by name, or with `value` mapping each value before it crosses
 * (to leave out what readers do not need, a model's bytes, say; it must return a cloneable value).
 */
export type PublishedStoreSpec = string | { readonly store: string; readonly value?: (value: unknown, key: unknown) => unknown };

/** One thread's published stores: per store name, the entries of each of its local stores (one per task; one for a global store). */
export interface PublishedSnapshot {
  /** When the thread read its stores (ms since the epoch). */
  readonly at: number;
  readonly stores: Readonly<{ [store: string]: readonly (readonly KeyValue<unknown, unknown>[])[] }>;
}

/** Reads the thread's open local stores named in `specs` (on the thread, between its batches). */
export function takeSnapshot(streams: Pick<KafkaStreams, 'localStores'>, specs: readonly PublishedStoreSpec[]): PublishedSnapshot {
  const stores: { [store: string]: KeyValue<unknown, unknown>[][] } = {};
  for (const spec of specs) {
    const name = typeof spec === 'string' ? spec : spec.store;
    const map = typeof spec === 'string' ? undefined : spec.value;
    const local = streams.localStores<StateStore & ReadOnlyKeyValueStore<unknown, unknown>>(name);
    stores[name] = local.filter((s) => s.isOpen).map((s) => [...s.all()].map((kv) => (map ? { key: kv.key, value: map(kv.value, kv.key) } : { key: kv.key, value: kv.value })));
  }
  return { at: Date.now(), stores };
}

/**
 * One local store as a thread published it: reads answered from the copy, never from the thread.
 * Keys are matched by value (strings, numbers; other keys by their JSON), as they crossed by structured cloning.
 */
export class PublishedStore<K, V> {
  readonly isOpen = true;
  readonly #byKey = new Map<unknown, KeyValue<K, V>>();
  readonly #entries: readonly KeyValue<K, V>[];

  constructor(readonly name: string, entries: readonly KeyValue<unknown, unknown>[], readonly publishedAt: number) {
    this.#entries = entries as readonly KeyValue<K, V>[];
    for (const e of this.#entries) this.#byKey.set(keyId(e.key), e);
  }

  get(key: K): V | undefined {
    return this.#byKey.get(keyId(key))?.value;
  }

  /** Every entry, in the order the thread's store listed them (its serialized-key order). */
  *all(): IterableIterator<KeyValue<K, V>> {
    yield* this.#entries;
  }

  approximateNumEntries(): number {
    return this.#entries.length;
  }
}

function keyId(key: unknown): unknown {
  return key === null || typeof key !== 'object' ? key : `\u0000${JSON.stringify(key instanceof Uint8Array ? [...key] : key)}`;
}

/** The instance's view of what its threads published: `localStores(name)` as on one thread's KafkaStreams. */
export interface PublishedView {
  /** One entry per published local store (each task's, and one copy of a global store); empty before anything was published. */
  localStores<K = unknown, V = unknown>(name: string): PublishedStore<K, V>[];
  /** The oldest snapshot the view is made of (ms since the epoch); undefined when a live thread has published nothing yet. */
  readonly oldest: number | undefined;
  /**
   * The snapshots it is made of, one per live thread: the same objects until a thread publishes
   * again, so a reader can keep what it computed from a view while they are unchanged.
   */
  readonly snapshots: readonly (PublishedSnapshot | undefined)[];
}

/** Whether two views are made of the same snapshots (nothing was published in between). */
export function sameSnapshots(a: PublishedView, b: PublishedView): boolean {
  return a.snapshots.length === b.snapshots.length && a.snapshots.every((s, i) => s === b.snapshots[i]);
}

/** Combines the threads' snapshots; a global store (whole on every thread) is taken from the first thread that has it. */
export function publishedView(snapshots: readonly (PublishedSnapshot | undefined)[], isGlobal: (store: string) => boolean): PublishedView {
  const present = snapshots.filter((s): s is PublishedSnapshot => s !== undefined);
  return {
    snapshots,
    oldest: present.length === snapshots.length && present.length > 0 ? Math.min(...present.map((s) => s.at)) : undefined,
    localStores<K, V>(name: string) {
      const out: PublishedStore<K, V>[] = [];
      for (const s of present) {
        for (const entries of s.stores[name] ?? []) out.push(new PublishedStore<K, V>(name, entries, s.at));
        if (out.length && isGlobal(name)) break;
      }
      return out;
    },
  };
}
