/** A topology that cannot run: the message names the node, store or topic at fault. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A processor threw while handling a record (or a punctuation). */
export class ProcessingError extends Error {
  override readonly name = 'ProcessingError';
  constructor(
    message: string,
    readonly node: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A handler answered 'fail': the task, and the application, stop with this cause. */
export class StreamsError extends Error {
  override readonly name = 'StreamsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
