// Compiled models of one process, shared by the tasks of a serving topology. Compiling (XML
// parsing, building tfjs graphs) is slow and asynchronous; scoring is fast and synchronous. The
// cache keeps the two apart: a model is compiled once per identity, and every record after that
// finds it ready with a Map lookup.
import type { Model } from '../../lib/models/index.ts';
import type { ModelDescriptor } from '../codecs/messages.ts';

/** Loads a model from its descriptor (`modelFromDescriptor`, or a test's own). */
export type ModelLoader = (descriptor: ModelDescriptor) => Promise<Model>;

export type CachedModel =
  | { readonly kind: 'loading'; readonly promise: Promise<Model> }
  | { readonly kind: 'ready'; readonly model: Model }
  | { readonly kind: 'failed'; readonly error: Error };

export interface ModelCacheOptions {
  readonly load: ModelLoader;
  /**
   * Identities kept per dataType (default 2): the current model and the one before, so that
   * instances or tasks that have not yet seen a new model do not evict it while it compiles.
   */
  readonly keepPerDataType?: number;
}

export class ModelCache {
  readonly #entries = new Map<string, CachedModel>();
  /** Identities per dataType, oldest first. */
  readonly #order = new Map<string, string[]>();
  readonly #load: ModelLoader;
  readonly #keep: number;

  constructor(options: ModelCacheOptions) {
    this.#load = options.load;
    this.#keep = Math.max(1, options.keepPerDataType ?? 2);
  }

  /** The entry for this model, if it was ever asked for (and not evicted). */
  peek(dataType: string, id: string): CachedModel | undefined {
    return this.#entries.get(key(dataType, id));
  }

  /**
   * The compiled model for `id`, compiling it on the first call; later calls share the same
   * compilation. A failure is remembered too (the same bytes would fail again) and rethrown.
   */
  load(dataType: string, id: string, descriptor: () => ModelDescriptor): Promise<Model> {
    const k = key(dataType, id);
    const entry = this.#entries.get(k);
    if (entry?.kind === 'ready') return Promise.resolve(entry.model);
    if (entry?.kind === 'failed') return Promise.reject(entry.error);
    if (entry?.kind === 'loading') return entry.promise;
    const promise = (async () => this.#load(descriptor()))();
    this.#entries.set(k, { kind: 'loading', promise });
    this.#remember(dataType, id);
    promise.then(
      (model) => {
        // Evicted while compiling: nobody will look it up again.
        if (this.#entries.get(k)?.kind !== 'loading') model.close();
        else this.#entries.set(k, { kind: 'ready', model });
      },
      (err: unknown) => {
        if (this.#entries.get(k)?.kind === 'loading') {
          this.#entries.set(k, { kind: 'failed', error: err instanceof Error ? err : new Error(String(err)) });
        }
      },
    );
    return promise;
  }

  /** Closes every compiled model; the cache is empty afterwards. */
  close(): void {
    for (const entry of this.#entries.values()) if (entry.kind === 'ready') entry.model.close();
    this.#entries.clear();
    this.#order.clear();
  }

  #remember(dataType: string, id: string): void {
    const ids = this.#order.get(dataType) ?? [];
    ids.push(id);
    while (ids.length > this.#keep) {
      const old = key(dataType, ids.shift()!);
      const entry = this.#entries.get(old);
      this.#entries.delete(old);
      // Scoring is synchronous, so no record is being scored with it at this point.
      if (entry?.kind === 'ready') entry.model.close();
    }
    this.#order.set(dataType, ids);
  }
}

function key(dataType: string, id: string): string {
  return `${dataType}\u0000${id}`;
}
