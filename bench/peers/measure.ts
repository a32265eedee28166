// Runs one contender of bench/throughput.ts as a child process against pre-produced data and
// measures it: wall-clock time of the first and last result (the results topic's end offsets,
// polled), CPU seconds and peak RSS of the child from /proc, and the load average around it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type kafkajs from 'kafkajs';

export class ContenderError extends Error {
  override readonly name = 'ContenderError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ContenderSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly resultsTopic: string;
  readonly records: number;
  readonly timeoutMs: number;
}

export interface Measurement {
  readonly name: string;
  readonly records: number;
  /** Records per second from the first result seen to the last. */
  readonly perSecond: number;
  /** Spawn to the first result seen, ms (JVM or Node start, group join, global store bootstrap). */
  readonly startupMs: number;
  readonly processingMs: number;
  /**
   * Records per second from the child's "state RUNNING" (tasks assigned) to the last result: the
   * first result can come late when an engine emits a large fetched batch at once, which
   * flatters the first-to-last figure on small runs.
   */
  readonly perSecondFromRunning: number;
  /** User + system CPU of the child over its whole life up to the last result, s. */
  readonly cpuSeconds: number;
  /** CPU of the child from the first result to the last, per record, µs: less swayed by other load than records/s. */
  readonly cpuUsPerRecord: number;
  /** Peak resident set size of the child (VmHWM), MiB. */
  readonly peakRssMiB: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;
/** How often the results topic's end offsets are read: the resolution of the first and last result. */
const POLL_MS = 50;

export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 14th and 15th fields.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function peakRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024);
}

async function resultsSoFar(admin: kafkajs.Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

function stop(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Spawns the contender, waits until `records` results are on its results topic, measures, stops it. */
export async function measure(spec: ContenderSpec, admin: kafkajs.Admin, log: (line: string) => void): Promise<Measurement> {
  const loadBefore = loadAverage();
  const spawned = performance.now();
  const child = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let running: number | undefined;
  child.stdout!.on('data', (d) => {
    output += d;
    if (running === undefined && /^state RUNNING$/m.test(output)) running = performance.now();
  });
  child.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let first: number | undefined;
    let cpuAtFirst = 0;
    let last = 0;
    const deadline = Date.now() + spec.timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new ContenderError(`${spec.name} exited (${child.exitCode}) before its results: ${output.slice(-2000)}`);
      if (Date.now() > deadline) throw new ContenderError(`${spec.name}: not all ${spec.records} results within ${spec.timeoutMs} ms: ${output.slice(-2000)}`);
      const n = await resultsSoFar(admin, spec.resultsTopic);
      const now = performance.now();
      if (n > 0 && first === undefined) {
        first = now;
        cpuAtFirst = cpuSeconds(child.pid!);
      }
      if (n >= spec.records) { last = now; break; }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    // Read before the close: CPU and RSS of the work, not of the shutdown.
    const cpu = cpuSeconds(child.pid!);
    const rss = peakRssMiB(child.pid!);
    const processingMs = Math.max(1, last - first!);
    log(`[throughput] ${spec.name}: ${spec.records} results in ${(processingMs / 1000).toFixed(2)} s after ${((first! - spawned) / 1000).toFixed(1)} s start-up`);
    return {
      name: spec.name, records: spec.records, perSecond: Math.round(spec.records / (processingMs / 1000)),
      startupMs: Math.round(first! - spawned), processingMs: Math.round(processingMs),
      perSecondFromRunning: running === undefined ? 0 : Math.round(spec.records / (Math.max(1, last - running) / 1000)),
      cpuSeconds: Math.round(cpu * 100) / 100, cpuUsPerRecord: Math.round(((cpu - cpuAtFirst) * 1e6) / spec.records * 10) / 10, peakRssMiB: rss, loadBefore, loadAfter: loadAverage(),
    };
  } finally {
    await stop(child);
    await exited;
  }
}
