import type { KeyValue } from '../../streams/api/record.ts';
import type { StateStore } from './store.ts';

/** A window's bounds: `start` inclusive, `end` exclusive (a session window's end is inclusive, as in Kafka Streams). */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** A key of a windowed aggregation: the record key and its window (Kafka Streams' `Windowed<K>`). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** One entry of a key's windows, as a window fetch returns it. */
export interface WindowEntry<V> {
  readonly windowStart: number;
  readonly value: V;
  /** The timestamp put with the value (the newest record of an aggregate). */
  readonly timestamp: number;
}

export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key`'s window starting at `windowStart`. */
  fetch(key: K, windowStart: number): V | undefined;
  /** `key`'s windows starting from `timeFrom` to `timeTo` (both inclusive), oldest first. */
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowEntry<V>[];
  /** Every key's windows starting from `timeFrom` to `timeTo` (both inclusive). */
  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[];
  all(): KeyValue<Windowed<K>, V>[];
}

/**
 * Values per key and window start, kept for `retentionMs` of stream time (the newest window
 * start put) and dropped a whole segment at a time, as Kafka Streams' segmented window stores.
 */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  /** Puts (or with `null`, deletes) a window; a window older than the retention is dropped. `timestamp` defaults to `windowStart`. */
  put(key: K, value: V | null, windowStart: number, timestamp?: number): void;
  fetchWithTimestamp(key: K, windowStart: number): ValueAndTimestamp<V> | undefined;
}

export interface ReadOnlySessionStore<K, V> {
  /** `key`'s sessions, by end then start. */
  fetch(key: K): KeyValue<Windowed<K>, V>[];
  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | undefined;
  all(): KeyValue<Windowed<K>, V>[];
}

/** Aggregates per key and session window (start and end both inclusive), segmented by session end. */
export interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
  readonly retentionMs: number;
  /** Sessions of `key` that end at or after `earliestSessionEnd` and start at or before `latestSessionStart`. */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[];
  put(session: Windowed<K>, value: V): void;
  remove(session: Windowed<K>): void;
}
