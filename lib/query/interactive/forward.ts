// Forwards a key lookup to the instance that owns the key's partition, once: the request carries
// the forwarding instance's address, and an instance never forwards a request that has it.
import type { HostInfo } from '../../runtime/metadata.ts';
import { ForwardingError } from './errors.ts';
import { formatHostPort } from './instance.ts';

/** Request header naming the instance that forwarded the request (`host:port`). */
export const FORWARDED_FROM_HEADER = 'x-modelstream-forwarded-from';
/** Response header naming the instance whose store answered (`host:port`). */
export const SERVED_BY_HEADER = 'x-modelstream-served-by';

export interface ForwardRequest {
  readonly owner: HostInfo;
  /** Path and query string, as this instance received them (peers serve the same routes). */
  readonly pathAndQuery: string;
  readonly self: HostInfo;
  readonly timeoutMs: number;
}

export interface ForwardedAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly servedBy: string | undefined;
}

/** The owner's JSON answer, whatever its status; a ForwardingError when there is none. */
export async function forwardToOwner({ owner, pathAndQuery, self, timeoutMs }: ForwardRequest): Promise<ForwardedAnswer> {
  const url = `http://${formatHostPort(owner)}${pathAndQuery}`;
  const where = formatHostPort(owner);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { [FORWARDED_FROM_HEADER]: formatHostPort(self), accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new ForwardingError(`the owner ${where} did not answer within ${timeoutMs} ms`, 'timeout', owner, { cause: err });
    throw new ForwardingError(`the owner ${where} is unreachable: ${describeFetchError(e)}`, 'unreachable', owner, { cause: err });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    // The headers came in time but the body did not, or it is not JSON.
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new ForwardingError(`the owner ${where} did not finish its answer within ${timeoutMs} ms`, 'timeout', owner, { cause: err });
    throw new ForwardingError(`the owner ${where} answered HTTP ${response.status} without a JSON body`, 'bad-answer', owner, { cause: err });
  }
  return { status: response.status, body, servedBy: response.headers.get(SERVED_BY_HEADER) ?? undefined };
}

// undici's "fetch failed" keeps the reason (ECONNREFUSED, …) in `cause`.
function describeFetchError(err: Error): string {
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? err.message;
}
