// Kafka's command-line tools run one after another in one JVM (fixtures/AdminTools.java): a
// tool call costs a fraction of a second instead of a JVM start (1-5 s here), which is what
// keeps the admin parity test small enough to run on both brokers.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import type { RunResult } from './groups/external-client.ts';

export interface AdminTools {
  /** Runs `mainClass` with `args` (its main, its Exit.exit code); one call at a time. */
  run(mainClass: string, args: readonly string[]): Promise<RunResult>;
  close(): Promise<void>;
}

export class AdminToolsError extends Error {
  override readonly name = 'AdminToolsError';
}

export function startAdminTools(): AdminTools {
  const source = join(import.meta.dirname, 'fixtures', 'AdminTools.java');
  const child: ChildProcessWithoutNullStreams = spawn(javaCommand(), ['-Xmx192m', '-XX:TieredStopAtLevel=1', '-cp', `${defaultLibsDir}/*`, source]);
  let stderr = '';
  let ended = false;
  child.stderr.on('data', (d) => (stderr += d));
  const waiting: ((line: string | null) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.on('close', () => { ended = true; waiting.splice(0).forEach((w) => w(null)); resolve(); }));
  let queue: Promise<unknown> = Promise.resolve();
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  return {
    run(mainClass, args) {
      const call = queue.then(() => new Promise<RunResult>((resolve, reject) => {
        if (ended) return reject(new AdminToolsError(`the tools JVM ended: ${stderr.slice(-1500)}`));
        const timer = setTimeout(() => reject(new AdminToolsError(`${mainClass} ${args.join(' ')}: no answer in 60 s`)), 60_000);
        waiting.push((line) => {
          clearTimeout(timer);
          if (line === null) return reject(new AdminToolsError(`the tools JVM ended: ${stderr.slice(-1500)}`));
          const [code, out, err] = line.split('\t') as [string, string, string];
          resolve({ code: Number(code), stdout: decode(out), stderr: decode(err) });
        });
        child.stdin.write(`${[mainClass, ...args].join('\t')}\n`);
      }));
      queue = call.catch(() => {});
      return call;
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
