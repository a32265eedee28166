// Byte-key ordering shared by the built-in stores: keys compare as unsigned bytes, the order
// Kafka Streams' `Bytes` and LevelDB's default comparator use, so range scans agree everywhere.
import sortedBtree from 'sorted-btree';

export type ByteTree<V> = sortedBtree.default<Uint8Array, V>;

/** Unsigned lexicographic comparison; a prefix sorts before any longer key. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  // A native call costs more than a short JS loop; most store keys are short.
  if (length > 64) return Buffer.compare(a, b);
  for (let i = 0; i < length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// sorted-btree is CommonJS with `exports.default`; from ESM the class sits on `.default`.
const BTree = sortedBtree.default;

export function newByteTree<V>(): ByteTree<V> {
  return new BTree<Uint8Array, V>(undefined, compareBytes);
}

/**
 * The keys of `tree` between `from` and `to` (both inclusive, either may be omitted), copied
 * into an array so the caller may write to the tree while iterating over the result.
 */
export function keysInRange<V>(tree: ByteTree<V>, from?: Uint8Array, to?: Uint8Array): Uint8Array[] {
  return entriesInRange(tree, from, to).map(([key]) => key);
}

/** As `keysInRange`, with values. */
export function entriesInRange<V>(tree: ByteTree<V>, from?: Uint8Array, to?: Uint8Array): [Uint8Array, V][] {
  const low = from ?? tree.minKey();
  const high = to ?? tree.maxKey();
  if (low === undefined || high === undefined || compareBytes(low, high) > 0) return [];
  return tree.getRange(low, high, true);
}
