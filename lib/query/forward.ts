// Asks another instance of the application over HTTP: a key lookup forwarded to the key's owner,
// or a page of its share of a store. The request carries the asking instance's address, and an
// instance never forwards (or fans out) a request that has it, so a request makes one hop at most.
import type { HostInfo } from '../runtime/metadata.ts';
import { ForwardingError } from './errors.ts';
import { formatHostPort } from './instance.ts';

/** Request header naming the instance that forwarded the request (`host:port`). */
export const FORWARDED_FROM_HEADER = 'x-modelstream-forwarded-from';
/** Response header naming the instance whose store answered (`host:port`). */
export const SERVED_BY_HEADER = 'x-modelstream-served-by';

export interface ForwardRequest {
  /** The instance asked: the key's owner, or a peer holding a share of the store. */
  readonly to: HostInfo;
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

/** The instance's JSON answer, whatever its status; a ForwardingError when there is none. */
export async function askInstance({ to, pathAndQuery, self, timeoutMs }: ForwardRequest): Promise<ForwardedAnswer> {
  const url = `http://${formatHostPort(to)}${pathAndQuery}`;
  const where = `instance ${formatHostPort(to)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { [FORWARDED_FROM_HEADER]: formatHostPort(self), accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new ForwardingError(`${where} did not answer within ${timeoutMs} ms`, 'timeout', to, { cause: err });
    throw new ForwardingError(`${where} is unreachable: ${describeFetchError(e)}`, 'unreachable', to, { cause: err });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    // The headers came in time but the body did not, or it is not JSON.
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new ForwardingError(`${where} did not finish its answer within ${timeoutMs} ms`, 'timeout', to, { cause: err });
    throw new ForwardingError(`${where} answered HTTP ${response.status} without a JSON body`, 'bad-answer', to, { cause: err });
  }
  return { status: response.status, body, servedBy: response.headers.get(SERVED_BY_HEADER) ?? undefined };
}

// undici's "fetch failed" keeps the reason (ECONNREFUSED, …) in `cause`.
function describeFetchError(err: Error): string {
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? err.message;
}
