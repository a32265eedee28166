// Preloaded into every test process by test/run.ts: on SIGUSR2 it prints what still keeps the
// process alive (sockets with their ports, servers, child processes, timers), so a file whose
// tests have ended but which does not exit names its leak before the runner kills it.
// A signal listener does not itself keep the event loop alive.
import type { ChildProcess } from 'node:child_process';
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

process.on('SIGUSR2', () => {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const lines = [
    `[exit-diagnostics] resources still alive: ${process.getActiveResourcesInfo().join(', ') || 'none'}`,
    ...handles.map((h) => `[exit-diagnostics]   ${describe(h)}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
});
