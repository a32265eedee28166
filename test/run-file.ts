// Runs one test file as test/run.ts does: in its own process, its outcome read from uvu's summary.
// A file that has printed its summary but does not exit within the grace is asked what it still
// holds (test/exit-diagnostics.ts prints its open handles), killed, and reported as `hung`.
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { countsOf } from './run-counts.ts';

const SUMMARY_END = /^\s*Duration:\s+[\d.]+m?s\s*$/m;

export interface FileResult { file: string; passed: number; failed: number; skipped: number; ms: number; output: string; hung: boolean }

export interface RunFileOptions {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  /** The file is killed (and failed) past this. */
  readonly timeoutMs: number;
  /** After uvu's summary, the process has this long to exit by itself before it is killed. */
  readonly exitGraceMs: number;
}

export function runFile(file: string, { root, env, timeoutMs, exitGraceMs }: RunFileOptions): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-internals', '--import', 'tsx', '--import', './test/exit-diagnostics.ts', file], {
      cwd: root,
      env: { ...env, NODE_DISABLE_COLORS: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let hung = false;
    let exitTimer: NodeJS.Timeout | undefined;
    // Its tests have ended (uvu's summary is out): what keeps it alive now is a leak, not a test.
    const onOutput = (d: Buffer) => {
      output += d;
      if (exitTimer || !SUMMARY_END.test(output)) return;
      exitTimer = setTimeout(() => {
        hung = true;
        output += `\n[run] still running ${exitGraceMs} ms after its tests ended: killed\n`;
        child.kill('SIGUSR2');
        setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      }, exitGraceMs);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const timer = setTimeout(() => {
      output += `\n[run] killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(exitTimer);
      const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
      // A leak after the summary does not undo the tests' outcome, which uvu's exit code carries
      // only when it gets to exit: the summary's own counts decide.
      const { passed, failed, skipped } = countsOf(clean, hung ? 0 : code);
      resolve({ file: relative(root, file), passed, failed, skipped, ms: Date.now() - started, output: clean, hung });
    });
  });
}

