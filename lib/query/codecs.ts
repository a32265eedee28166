// Per-store codecs: how a URL key becomes the store's key, and how keys and values become JSON.
import type { Serde } from '../streams/api/serde.ts';
import { Serdes } from '../streams/serdes.ts';
import { BadQueryError } from './errors.ts';

/** How one store is queried over HTTP. Every field has a default for string keys and JSON-able values. */
export interface StoreCodec<K = unknown, V = unknown> {
  /**
   * The store's key serde, as the topology partitions with it: it finds the key's owner
   * (`queryMetadataForKey`), orders ranges (serialized bytes) and encodes cursors. Default: String.
   */
  readonly keySerde?: Serde<K>;
  /** The URL key (and `from`/`to`) as a K: a function, or a serde reading its UTF-8 bytes. Default: `keySerde`. */
  readonly key?: Serde<K> | ((text: string) => K);
  /** A key as it appears in answers. Default: as is (bytes as base64, bigints as strings). */
  readonly keyJson?: (key: K) => unknown;
  /** A value as it appears in answers. Default: as is (bytes as base64, bigints as strings). */
  readonly value?: (value: V) => unknown;
}

/** Store name → codec; `{}` (or `true`) takes every default. */
export type StoreCodecs = { readonly [store: string]: StoreCodec<any, any> | true };

/** Types a codec against its store's key and value (the `stores` map itself cannot). */
export function storeCodec<K, V>(codec: StoreCodec<K, V>): StoreCodec<K, V> {
  return codec;
}

export interface ResolvedCodec {
  readonly keySerde: Serde<unknown>;
  parseKey(text: string): unknown;
  keyJson(key: unknown): unknown;
  valueJson(value: unknown): unknown;
}

const STRING = Serdes.String() as Serde<unknown>;
const utf8 = new TextEncoder();

export function resolveCodec(codec: StoreCodec<any, any> | true | undefined): ResolvedCodec {
  const c: StoreCodec<unknown, unknown> = codec === true || codec === undefined ? {} : codec;
  const keySerde = c.keySerde ?? STRING;
  const key = c.key ?? keySerde;
  const parse = typeof key === 'function' ? key : (text: string) => key.deserialize(utf8.encode(text));
  return {
    keySerde,
    parseKey(text) {
      try {
        const parsed = parse(text);
        keySerde.serialize(parsed); // a key the serde refuses would fail later, as a 500
        return parsed;
      } catch (err) {
        throw new BadQueryError(`"${text}" is not a key of this store: ${(err as Error).message}`, { cause: err });
      }
    },
    keyJson: c.keyJson ?? toJsonable,
    valueJson: c.value ?? toJsonable,
  };
}

/** JSON.stringify would turn bytes into `{"0":…}` and throw on a bigint. */
export function toJsonable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A page cursor: the last key's serialized bytes, base64url. Opaque to clients. */
export function encodeCursor(keyBytes: Uint8Array): string {
  return Buffer.from(keyBytes).toString('base64url');
}

export function decodeCursor(cursor: string, keySerde: Serde<unknown>): Uint8Array {
  const bad = (cause?: unknown) => new BadQueryError(`cursor "${cursor}" is not one this server gave for this store`, { cause });
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw bad();
  const bytes = new Uint8Array(Buffer.from(cursor, 'base64url'));
  try {
    keySerde.deserialize(bytes);
  } catch (err) {
    throw bad(err);
  }
  return bytes;
}

/** Unsigned lexicographic order of serialized keys: the order the stores iterate in. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
