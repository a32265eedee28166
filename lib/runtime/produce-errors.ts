// Which produce errors are the record's own fault (the broker refuses it whatever we retry) and
// which are the cluster's (retried by kafkajs, then fatal as before). Kafka's Java producer draws
// the same line: RecordTooLargeException, InvalidRecordException ... are not RetriableExceptions.

/** Broker error names that refuse the records of a request for themselves. */
const REFUSALS = new Set([
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP',
]);

/** An output record the broker refused, or would refuse (checked before sending). */
export class ProductionError extends Error {
  override readonly name = 'ProductionError';
  constructor(
    message: string,
    /** The broker's error name, e.g. MESSAGE_TOO_LARGE. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The refusal behind a failed send, if it is one: kafkajs wraps the broker's error
 * (KafkaJSProtocolError, with its `type`) in its retry errors, so the cause chain is searched.
 * CORRUPT_MESSAGE is retriable to kafkajs and only reaches here once its retries ran out.
 */
export function refusalReason(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && REFUSALS.has(type)) return type;
  }
  return undefined;
}
