// Runs contender processes (one, or several instances of one application) against
// pre-produced data and measures them: wall-clock time of the first and last result (the
// results topic's end offsets, polled), CPU seconds and peak RSS of each child from /proc.
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
  /** One process per instance; all share the results topic. */
  readonly processes: readonly { readonly command: string; readonly args: readonly string[] }[];
  readonly resultsTopic: string;
  readonly records: number;
  readonly timeoutMs: number;
  /**
   * Produces the data once every process is RUNNING and the group has settled (no state change
   * for 3 s), so that several instances are measured working, not rebalancing. Without it the
   * data is pre-produced.
   */
  readonly feed?: () => Promise<void>;
  /**
   * When given, the run is over when this says so (every input has a result, say) instead of
   * when `records` results are on the topic: a count reached with duplicates ends a run early.
   */
  readonly complete?: () => boolean | Promise<boolean>;
  /** Other processes (the broker) whose CPU over the same first-to-last window is reported too. */
  readonly observePids?: readonly number[];
}

export interface Measurement {
  readonly name: string;
  readonly records: number;
  /** Records per second from the first result seen to the last. */
  readonly perSecond: number;
  /** Spawn to the first result seen, ms (JVM or Node start, group join, global store bootstrap). */
  readonly startupMs: number;
  readonly processingMs: number;
  /** User + system CPU of the children over their whole life up to the last result, s. */
  readonly cpuSeconds: number;
  /** CPU of the children from the first result to the last, per record, µs: less swayed by other load than records/s. */
  readonly cpuUsPerRecord: number;
  /** Largest peak resident set size (VmHWM) of the children, MiB. */
  readonly peakRssMiB: number;
  /** Records each process says it processed (its "processed N" line at exit), in spawn order; undefined where it said nothing. */
  readonly processedByProcess: readonly (number | undefined)[];
  /** Share of all the machine's CPU time that was busy from the first result to the last (/proc/stat), 0–1. */
  readonly machineBusy: number;
  /** CPU of `observePids` from the first result to the last, per record, µs. */
  readonly observedCpuUsPerRecord?: number;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;
/** How often the results topic's end offsets are read: the resolution of the first and last result. */
const POLL_MS = 50;

export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 14th and 15th fields.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Busy and total jiffies of all CPUs so far: idle and iowait are the 4th and 5th fields of /proc/stat's first line. */
export function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

export function peakRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024);
}

/** Results on the topic so far; undefined while the broker cannot say (a new topic's leader not yet known). */
async function resultsSoFar(admin: kafkajs.Admin, topic: string): Promise<number | undefined> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } catch {
    return undefined;
  }
}

/** A started contender process with its output kept for error messages and markers. */
export interface Running {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in its stdout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(command: string, args: readonly string[]): Running {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null) throw new ContenderError(`exited (${child.exitCode}) before ${pattern}: ${out.slice(-2000)}`);
        if (Date.now() > deadline) throw new ContenderError(`no ${pattern} within ${timeoutMs} ms: ${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
      }
    },
  };
}

/** Spawns the contender's processes, waits until `records` results are on its results topic, measures, stops them. */
export async function measure(spec: ContenderSpec, admin: kafkajs.Admin, log: (line: string) => void): Promise<Measurement> {
  const spawned = performance.now();
  const procs = spec.processes.map((p) => startProcess(p.command, p.args));
  const cpu = () => procs.reduce((s, p) => s + cpuSeconds(p.child.pid!), 0);
  let feeding: Promise<void> | undefined;
  try {
    if (spec.feed) {
      await Promise.all(procs.map((p) => p.waitFor(/^state RUNNING$/m, spec.timeoutMs)));
      const states = () => procs.map((p) => p.output().match(/^state /gm)?.length ?? 0).join();
      for (let seen = states(), quietSince = Date.now(); Date.now() - quietSince < 3000;) {
        await new Promise((r) => setTimeout(r, 100));
        if (states() !== seen) { seen = states(); quietSince = Date.now(); }
      }
      feeding = spec.feed();
    }
    let first: number | undefined;
    let cpuAtFirst = 0;
    const observed = () => (spec.observePids ?? []).reduce((s, pid) => s + cpuSeconds(pid), 0);
    let observedAtFirst = 0;
    let jiffiesAtFirst = machineJiffies();
    let last = 0;
    const deadline = Date.now() + spec.timeoutMs;
    for (;;) {
      const dead = procs.find((p) => p.child.exitCode !== null);
      if (dead) throw new ContenderError(`${spec.name} exited (${dead.child.exitCode}) before its results: ${dead.output().slice(-2000)}`);
      if (Date.now() > deadline) throw new ContenderError(`${spec.name}: not all ${spec.records} results within ${spec.timeoutMs} ms: ${procs[0]!.output().slice(-2000)}`);
      const n = (await resultsSoFar(admin, spec.resultsTopic)) ?? 0;
      const now = performance.now();
      if (n > 0 && first === undefined) {
        first = now;
        cpuAtFirst = cpu();
        observedAtFirst = observed();
        jiffiesAtFirst = machineJiffies();
      }
      if (spec.complete ? await spec.complete() : n >= spec.records) { last = now; break; }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    // Read before the close: CPU and RSS of the work, not of the shutdown.
    const cpuEnd = cpu();
    const observedEnd = observed();
    const jiffiesEnd = machineJiffies();
    const rss = Math.max(...procs.map((p) => peakRssMiB(p.child.pid!)));
    const processingMs = Math.max(1, last - first!);
    // Stopped here, so that each says how much it processed; the finally below finds them stopped.
    await Promise.all(procs.map((p) => p.stop()));
    const processedByProcess = procs.map((p) => {
      const m = p.output().match(/^processed (\d+)$/m);
      return m ? Number(m[1]) : undefined;
    });
    log(`[bench] ${spec.name}: ${spec.records} results in ${(processingMs / 1000).toFixed(2)} s after ${((first! - spawned) / 1000).toFixed(1)} s start-up`);
    return {
      name: spec.name, records: spec.records, perSecond: Math.round(spec.records / (processingMs / 1000)),
      startupMs: Math.round(first! - spawned), processingMs: Math.round(processingMs),
      cpuSeconds: Math.round(cpuEnd * 100) / 100, cpuUsPerRecord: Math.round(((cpuEnd - cpuAtFirst) * 1e6) / spec.records * 10) / 10, peakRssMiB: rss,
      processedByProcess,
      machineBusy: Math.round(((jiffiesEnd.busy - jiffiesAtFirst.busy) / Math.max(1, jiffiesEnd.total - jiffiesAtFirst.total)) * 1000) / 1000,
      ...(spec.observePids?.length ? { observedCpuUsPerRecord: Math.round(((observedEnd - observedAtFirst) * 1e6) / spec.records * 10) / 10 } : {}),
    };
  } finally {
    await feeding?.catch(() => {});
    await Promise.all(procs.map((p) => p.stop()));
  }
}
