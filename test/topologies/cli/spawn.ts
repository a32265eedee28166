// Runs the `modelstream` command line as a user would, and watches its output. It runs the CLI's
// sources through tsx, so the tests see the current code; bin/modelstream.mjs runs the build in
// dist/, which test/layout/package.test.ts checks from an installed tarball.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../../topologies/cli/main.ts', import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Finished>;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (d) => { out += d; for (const w of watchers) w(); });
  child.stderr.on('data', (d) => { err += d; for (const w of watchers) w(); });
  const exited = new Promise<Finished>((resolve) => child.on('close', (code) => { for (const w of watchers) w(); resolve({ code, stdout: out, stderr: err }); }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out + err);
          if (m) { done(); resolve(m); } else if (child.exitCode !== null) { done(); reject(new Error(`exited (${child.exitCode}) before ${pattern}:\n${out}${err}`)); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}${err}`)); }, timeoutMs);
        const done = () => { clearTimeout(timer); watchers.delete(check); };
        watchers.add(check);
        check();
      });
    },
  };
}

/** Runs a command to its end (killed after `timeoutMs`). */
export async function runCli(args: readonly string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const cli = startCli(args, env);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}
