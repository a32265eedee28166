// Runs the JPMML-Evaluator harness (test/jpmml, Java + Maven): builds it when the jar is
// missing or older than its sources, then scores or benchmarks a PMML file on an input file.
// Used by the PMML conformance test and by bench/jpmml.ts.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const harnessDir = new URL('.', import.meta.url).pathname;
const jarPath = join(harnessDir, 'target', 'jpmml-harness.jar');
const lockPath = join(harnessDir, 'target', '.build.lock');

/** A harness output value: JSON, with NaN/±Infinity decoded back to numbers. */
export type JpmmlValue = number | string | boolean | null | JpmmlValue[];

/** What JPMML says of one record. */
export type JpmmlOutcome =
  | {
    readonly kind: 'scored';
    readonly value: JpmmlValue;
    readonly probabilities?: Readonly<{ [label: string]: number }>;
    readonly outputs: Readonly<{ [name: string]: JpmmlValue }>;
    /** Every target's value, when the model has several. */
    readonly targets?: Readonly<{ [name: string]: JpmmlValue }>;
  }
  | { readonly kind: 'error'; readonly message: string };

export interface JpmmlBenchResult {
  readonly model: string;
  readonly records: number;
  readonly samples: number;
  readonly warmupCalls: number;
  readonly warmupMs: number;
  readonly medianUs: number;
  readonly p99Us: number;
  readonly meanUs: number;
}

/** Java or Maven is not installed, so the harness cannot be built or run. */
export class JavaUnavailableError extends Error {
  override readonly name = 'JavaUnavailableError';
}

/** JPMML refused to load the model. */
export class JpmmlLoadError extends Error {
  override readonly name = 'JpmmlLoadError';
}

/** The harness failed (build error, crash, unreadable output). */
export class JpmmlHarnessError extends Error {
  override readonly name = 'JpmmlHarnessError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function runs(command: string, args: readonly string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Why the harness cannot run here, or undefined when it can (java, and mvn unless already built). */
export function javaUnavailableReason(): string | undefined {
  if (!runs('java', ['-version'])) return 'java is not installed (JDK 17+ is needed to run JPMML-Evaluator)';
  if (!isBuilt() && !runs('mvn', ['-v'])) return 'mvn is not installed (Maven builds the JPMML harness in test/jpmml)';
  return undefined;
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isBuilt(): boolean {
  if (!existsSync(jarPath)) return false;
  const sources = Math.max(statSync(join(harnessDir, 'pom.xml')).mtimeMs, newestSourceMtime(join(harnessDir, 'src')));
  return statSync(jarPath).mtimeMs >= sources;
}

function exec(command: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/**
 * Builds the harness with Maven unless the jar is newer than pom.xml and src/. Concurrent
 * callers (tests run two processes at a time) serialise on a flock so only one mvn runs.
 */
export async function ensureHarness(): Promise<string> {
  if (isBuilt()) return jarPath;
  const reason = javaUnavailableReason();
  if (reason) throw new JavaUnavailableError(reason);
  mkdirSync(join(harnessDir, 'target'), { recursive: true });
  const script = `[ -f "${jarPath}" ] && [ -z "$(find pom.xml src -newer "${jarPath}" -print -quit)" ] || mvn -q -B package`;
  const r = await exec('flock', [lockPath, 'sh', '-c', script], harnessDir);
  if (r.code !== 0 || !existsSync(jarPath)) {
    throw new JpmmlHarnessError(`building the JPMML harness failed (mvn -q -B package in test/jpmml):\n${r.stdout}${r.stderr}`);
  }
  return jarPath;
}

function decodeValue(v: unknown): JpmmlValue {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (Array.isArray(v)) return v.map(decodeValue);
  return v as JpmmlValue;
}

function parseOutcome(line: string): JpmmlOutcome {
  const raw = JSON.parse(line) as {
    value?: unknown; probabilities?: { [label: string]: unknown }; outputs?: { [name: string]: unknown }; targets?: { [name: string]: unknown }; error?: string;
  };
  if (raw.error !== undefined) return { kind: 'error', message: raw.error };
  const outputs: { [name: string]: JpmmlValue } = {};
  for (const [k, v] of Object.entries(raw.outputs ?? {})) outputs[k] = decodeValue(v);
  const targets: { [name: string]: JpmmlValue } | undefined = raw.targets === undefined ? undefined : {};
  for (const [k, v] of Object.entries(raw.targets ?? {})) targets![k] = decodeValue(v);
  const base = { kind: 'scored' as const, value: decodeValue(raw.value ?? null), outputs, ...(targets === undefined ? {} : { targets }) };
  if (!raw.probabilities) return base;
  const probabilities: { [label: string]: number } = {};
  for (const [k, v] of Object.entries(raw.probabilities)) probabilities[k] = decodeValue(v) as number;
  return { ...base, probabilities };
}

async function runHarness(args: readonly string[]): Promise<string[]> {
  const jar = await ensureHarness();
  const r = await exec('java', ['-jar', jar, ...args], harnessDir);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  if (r.code === 2 && lines.length === 1) {
    const { loadError } = JSON.parse(lines[0]!) as { loadError?: string };
    throw new JpmmlLoadError(`JPMML refused ${args[1]}: ${loadError ?? 'unknown reason'}`);
  }
  if (r.code !== 0) throw new JpmmlHarnessError(`JPMML harness exited ${r.code} on ${args.join(' ')}:\n${r.stderr}`);
  return lines;
}

function parseLine(line: string, where: string): JpmmlOutcome {
  try {
    return parseOutcome(line);
  } catch (cause) {
    throw new JpmmlHarnessError(`unreadable harness output, ${where}: ${line}`, { cause });
  }
}

/**
 * JPMML's result for each record of `input` (the wine CSV, or JSON lines of named fields), in order.
 * Throws JpmmlLoadError when JPMML rejects the model.
 */
export async function jpmmlScore(model: string, input: string): Promise<JpmmlOutcome[]> {
  const lines = await runHarness(['score', model, input]);
  return lines.map((line, i) => parseLine(line, `record ${i}`));
}

/** One model's results from jpmmlScoreMany: its outcomes, or why JPMML refused it. */
export type JpmmlFileResult =
  | { readonly kind: 'scored'; readonly outcomes: readonly JpmmlOutcome[] }
  | { readonly kind: 'loadError'; readonly message: string };

/** Scores several (model, input) pairs in one JVM; results keyed by model path. */
export async function jpmmlScoreMany(
  pairs: readonly { readonly model: string; readonly input: string }[],
): Promise<Map<string, JpmmlFileResult>> {
  const out = new Map<string, JpmmlFileResult>();
  if (pairs.length === 0) return out;
  const args = ['score', ...pairs.flatMap((p) => [p.model, p.input])];
  if (pairs.length === 1) args.push(pairs[0]!.model, pairs[0]!.input); // two pairs make the harness print headers
  const lines = await runHarness(args);
  for (let i = 0; i < lines.length;) {
    const header = JSON.parse(lines[i++]!) as { model: string; records?: number; loadError?: string };
    if (header.loadError !== undefined) {
      out.set(header.model, { kind: 'loadError', message: header.loadError });
      continue;
    }
    const n = header.records ?? 0;
    const outcomes = lines.slice(i, i + n).map((line, j) => parseLine(line, `${header.model} record ${j}`));
    if (outcomes.length !== n) throw new JpmmlHarnessError(`harness output for ${header.model} ends after ${outcomes.length} of ${n} records`);
    out.set(header.model, { kind: 'scored', outcomes });
    i += n;
  }
  return out;
}

/**
 * JPMML's per-record latency of single evaluate calls over `input`, `passes` times, after a
 * warm-up of at least `warmupMs` and 50,000 calls (the JIT's steady state).
 */
export async function jpmmlBench(model: string, input: string, options: { passes?: number; warmupMs?: number } = {}): Promise<JpmmlBenchResult> {
  const lines = await runHarness(['bench', model, input, String(options.passes ?? 5), String(options.warmupMs ?? 2000)]);
  const last = lines.at(-1);
  if (!last) throw new JpmmlHarnessError(`the harness printed no figures for ${model}`);
  return JSON.parse(last) as JpmmlBenchResult;
}
