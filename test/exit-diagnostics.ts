// Preloaded into every test process by test/run.ts: on SIGUSR2 it prints what still keeps the
// process alive (sockets with their ports, servers, child processes, timers and their callbacks), so a file whose
// tests have ended but which does not exit names its leak before the runner kills it.
// A signal listener does not itself keep the event loop alive.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Server, Socket } from 'node:net';

function describe(handle: unknown): string {
  const name = (handle as object)?.constructor?.name ?? typeof handle;
  if (name === 'Socket' || name === 'TLSSocket') {
    const s = handle as Socket;
    if (s.remotePort === undefined) return `${name} (fd ${(s as unknown as { _handle?: { fd?: number } })._handle?.fd ?? '?'}, not connected)`;
    return `${name} ${s.localAddress}:${s.localPort} -> ${s.remoteAddress}:${s.remotePort}${s.destroyed ? ' (destroyed)' : ''}`;
  }
  if (name === 'Server') {
    const addr = (handle as Server).address();
    return `Server listening on ${typeof addr === 'string' ? addr : `${addr?.address}:${addr?.port}`}`;
  }
  if (name === 'ChildProcess') {
    const c = handle as ChildProcess;
    return `ChildProcess pid ${c.pid}: ${c.spawnargs.slice(0, 4).join(' ')}`;
  }
  return name;
}

interface TimerNode { _idleNext?: TimerNode; _onTimeout?: unknown; hasRef?: () => boolean }

/** The timers that keep the loop alive, by duration and callback; Node lists them only to --expose-internals. */
function refedTimers(): string[] {
  let lists: { [ms: string]: TimerNode };
  try {
    lists = (createRequire(import.meta.url)('internal/timers') as { timerListMap: { [ms: string]: TimerNode } }).timerListMap;
  } catch {
    return ['(timers not listed: run with --expose-internals)'];
  }
  const out: string[] = [];
  for (const [ms, list] of Object.entries(lists)) {
    for (let t = list._idleNext; t && t !== list; t = t._idleNext) {
      if (t.hasRef?.() === false) continue;
      const fn = String(t._onTimeout).replace(/\s+/g, ' ').slice(0, 160);
      out.push(`Timeout ${ms} ms: ${fn}`);
    }
  }
  return out;
}

process.on('SIGUSR2', () => {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const lines = [
    `[exit-diagnostics] resources still alive: ${process.getActiveResourcesInfo().join(', ') || 'none'}`,
    ...handles.map((h) => `[exit-diagnostics]   ${describe(h)}`),
    ...refedTimers().map((t) => `[exit-diagnostics]   ${t}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
});
