/**
 * Turns values into bytes and back. `null` never reaches a serde: a null key or a
 * null value (a tombstone) passes through the engine untouched.
 */
export interface Serde<T> {
  serialize(value: T, topic?: string): Uint8Array;
  /** Throws `DeserializationError` when the bytes are not a valid `T`. */
  deserialize(bytes: Uint8Array, topic?: string): T;
}

/** A payload that a serde could not decode; `cause` holds the underlying error. */
export class DeserializationError extends Error {
  override readonly name = 'DeserializationError';
  constructor(
    message: string,
    readonly serde: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
