// Errors the interactive-query routes raise; the app's error handler turns each into its status.
import type { HostInfo } from '../runtime/metadata.ts';

/** A store name no codec was registered for, or no instance of the application has. */
export class UnknownStoreError extends Error {
  override readonly name = 'UnknownStoreError';
  constructor(readonly store: string, options?: { cause?: unknown }) {
    super(`no queryable store named "${store}"`, options);
  }
}

/** A query parameter or URL key that cannot be turned into what the store needs. */
export class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

/**
 * The instance is not attached yet (the server listens before KafkaStreams is built); answered
 * 503. An application's route throws it too when what it reads is not there yet.
 */
export class NotAttachedError extends Error {
  override readonly name = 'NotAttachedError';
  constructor(message = 'the instance is starting; try again shortly', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The query server's port is taken or its address cannot be bound. */
export class QueryServerListenError extends Error {
  override readonly name = 'QueryServerListenError';
}

/**
 * A forwarded request reached an instance that, by its own metadata, does not own the key either:
 * the instances' views differ (a rebalance is under way). Never forwarded a second time.
 */
export class NotOwnerError extends Error {
  override readonly name = 'NotOwnerError';
  constructor(readonly owner: HostInfo | undefined, options?: { cause?: unknown }) {
    super(`this instance does not hold the key and its metadata names ${owner ? `${owner.host}:${owner.port}` : 'no owner'}: retry once the rebalance is over`, options);
  }
}

/** The instance asked (the key's owner) did not answer: 504 for a timeout, 502 for anything else. */
export class ForwardingError extends Error {
  override readonly name = 'ForwardingError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'unreachable' | 'bad-answer',
    readonly owner: HostInfo,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): 502 | 504 {
    return this.kind === 'timeout' ? 504 : 502;
  }
}

/**
 * Whether a read failed because this instance's share of the store is not open right now: the
 * store is closed (a rebalance), or the stream thread holding it exited during the read. Kafka
 * Streams raises a retriable InvalidStateStoreException for both. By name: these errors cross
 * from a stream thread, or another copy of the library, as plain Errors.
 */
export function isStoreNotOpen(err: unknown): boolean {
  return err instanceof Error && (err.name === 'InvalidStateStoreError' || err.name === 'StreamThreadUnavailableError');
}
