import type { Header, Headers } from '../api/record.ts';

/** Source positions: the next offset to process, per `topic:partition`. */
export type Positions = ReadonlyMap<string, number>;

export const POSITION_HEADER = 'modelstream.position';

/**
 * What each logged store of a task already holds, by source position (the idea of KIP-796).
 *
 * A commit's changelog records carry the source positions they were written at. The stores of
 * one task log to different changelog partitions, acknowledged by different brokers, so a crash
 * can leave one store's part of a commit landed and another's not: after the restore the stores
 * sit at different positions. Then an input is skipped outright only below the lowest of them
 * (every store has it), and between the lowest and a store's own position it is processed again
 * with that store's writes dropped (`alreadyApplied`): each store ends up with each input once.
 */
export class StorePositions {
  readonly #restored = new Map<string, Map<string, number>>();

  /** Records what a store's restore found (merged: positions only grow). */
  restored(store: string, positions: Positions): void {
    let own = this.#restored.get(store);
    if (!own) this.#restored.set(store, (own = new Map()));
    merge(own, positions);
  }

  /** Below this position per source partition, every given store holds the input already. */
  skipBelow(stores: Iterable<string>): Map<string, number> {
    const names = [...stores];
    const out = new Map<string, number>();
    if (names.length === 0) return out;
    const keys = new Set(names.flatMap((s) => [...(this.#restored.get(s)?.keys() ?? [])]));
    for (const key of keys) {
      // A store without a position for this partition holds none of its inputs.
      out.set(key, Math.min(...names.map((s) => this.#restored.get(s)?.get(key) ?? 0)));
    }
    return out;
  }

  /** Whether `store`'s restored state already reflects the input at `offset` of `topicPartition`. */
  holds(store: string, topicPartition: string, offset: number): boolean {
    const at = this.#restored.get(store)?.get(topicPartition);
    return at !== undefined && offset < at;
  }

  /** What `store` reflects once the task has processed up to `processed`. */
  of(store: string, processed: Positions): Map<string, number> {
    const out = new Map(this.#restored.get(store) ?? []);
    merge(out, processed);
    return out;
  }
}

export function merge(into: Map<string, number>, from: Positions): void {
  for (const [k, v] of from) if (v > (into.get(k) ?? -1)) into.set(k, v);
}

export function encodePositionHeader(positions: Positions): Header {
  return { key: POSITION_HEADER, value: Buffer.from(JSON.stringify(Object.fromEntries(positions))) };
}

/** The source positions a changelog record was written at, if it carries them. */
export function decodePositionHeader(headers: Headers): Map<string, number> | undefined {
  const header = headers.find((h) => h.key === POSITION_HEADER);
  if (!header?.value) return undefined;
  try {
    return new Map(Object.entries(JSON.parse(Buffer.from(header.value).toString('utf8')) as { [k: string]: number }));
  } catch {
    return undefined;
  }
}
