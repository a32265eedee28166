// `GET /state/values`: asks every other instance for its local statistics over HTTP, in
// parallel, each with a timeout; one that does not answer is reported as unreachable.
import type { HostInfo } from '../../lib/index.ts';
import type { ModelServingStats } from '../api.ts';
import type { InstanceStats } from './api.ts';

export interface PeerRequest {
  readonly peer: HostInfo;
  readonly dataType: string;
  readonly timeoutMs: number;
}

/** GET http://peer/state/value?local=true&dataType=…, as an InstanceStats that never rejects. */
export async function fetchPeerStats({ peer, dataType, timeoutMs }: PeerRequest): Promise<InstanceStats> {
  const base = { host: peer.host, port: peer.port, self: false };
  const url = `http://${formatHost(peer.host)}:${peer.port}/state/value?local=true&dataType=${encodeURIComponent(dataType)}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const why = isErrorBody(body) ? body.error : response.statusText;
      return { ...base, status: 'unreachable', error: `HTTP ${response.status}: ${why}` };
    }
    if (!isStats(body)) return { ...base, status: 'unreachable', error: 'answered something that is not serving statistics' };
    return { ...base, status: 'ok', stats: body };
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeFetchError(e);
    return { ...base, status: 'unreachable', error: why };
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// undici's "fetch failed" hides the reason (ECONNREFUSED, …) in `cause`.
function describeFetchError(err: Error): string {
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? err.message;
}

function isErrorBody(body: unknown): body is { error: string } {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

function isStats(body: unknown): body is ModelServingStats {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { [k: string]: unknown };
  return typeof b.name === 'string' && typeof b.dataType === 'string' && typeof b.invocations === 'number';
}
