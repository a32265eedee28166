// Runs the Kafka Streams DSL oracle (test/dsl-oracle, Java + Maven): builds it when the jar is
// missing or older than its sources, then runs every scenario given in one JVM.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dependency } from '../requirements.ts';

const harnessDir = new URL('.', import.meta.url).pathname;
const jarPath = join(harnessDir, 'target', 'dsl-oracle.jar');
const lockPath = join(harnessDir, 'target', '.build.lock');

/** One input of a scenario: a record piped into a topic, or the wall clock moved on. */
export type Step =
  | { readonly topic: string; readonly key: string | null; readonly value: string | null; readonly ts: number }
  | { readonly advance: number };

export interface Scenario {
  readonly name: string;
  /** A topology both test/dsl-oracle/.../Topologies.java and oracle-topologies.ts define. */
  readonly topology: string;
  readonly steps: readonly Step[];
  /** Output topics read back, with their value type. */
  readonly outputs: Readonly<{ [topic: string]: 'string' | 'long' }>;
  readonly stores: readonly { readonly name: string; readonly kind: 'kv' | 'window' | 'session' }[];
}

export interface OutputRecord {
  readonly key: string | null;
  readonly value: string | number | null;
  readonly ts: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly outputs: { [topic: string]: OutputRecord[] };
  readonly stores: { [store: string]: { key: string; value: string | number | null }[] };
  readonly droppedRecords: number;
  readonly error?: string;
}

export class DslOracleError extends Error {
  override readonly name = 'DslOracleError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function runs(command: string, args: readonly string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function newest(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return n;
}

function isBuilt(): boolean {
  if (!existsSync(jarPath)) return false;
  return statSync(jarPath).mtimeMs >= Math.max(statSync(join(harnessDir, 'pom.xml')).mtimeMs, newest(join(harnessDir, 'src')));
}

/** The gate of the oracle tests: Java, and Maven unless the jar is built. */
export const dslOracle: Dependency = {
  name: 'Java and Maven for the Kafka Streams DSL oracle',
  requiredBy: ['MODELSTREAM_REQUIRE_JAVA', 'MODELSTREAM_REQUIRE_KAFKA'],
  missing: (() => {
    let why: { v: string | undefined } | undefined;
    return () => (why ??= {
      v: !runs('java', ['-version']) ? 'java is not installed (JDK 17+ runs Kafka Streams)'
        : !isBuilt() && !runs('mvn', ['-v']) ? 'mvn is not installed (Maven builds test/dsl-oracle)' : undefined,
    }).v;
  })(),
};

async function ensureBuilt(): Promise<void> {
  if (isBuilt()) return;
  mkdirSync(join(harnessDir, 'target'), { recursive: true });
  const script = `[ -f "${jarPath}" ] && [ -z "$(find pom.xml src -newer "${jarPath}" -print -quit)" ] || mvn -q -B package`;
  await new Promise<void>((resolve, reject) => {
    execFile('flock', [lockPath, 'sh', '-c', script], { cwd: harnessDir, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err || !existsSync(jarPath)) reject(new DslOracleError(`building the DSL oracle failed (mvn -q -B package in test/dsl-oracle):\n${stdout}${stderr}`, { cause: err }));
      else resolve();
    });
  });
}

/** Runs every scenario through Kafka Streams' TopologyTestDriver in one JVM; results by scenario name. */
export async function runOracle(scenarios: readonly Scenario[]): Promise<Map<string, ScenarioResult>> {
  await ensureBuilt();
  const child = spawn('java', ['-jar', jarPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdin.end(JSON.stringify({ scenarios }));
  const code = await new Promise<number>((resolve, reject) => { child.on('error', reject); child.on('close', (c) => resolve(c ?? -1)); });
  if (code !== 0) throw new DslOracleError(`the DSL oracle exited with ${code}:\n${stderr.slice(-4000)}`);
  const results = new Map<string, ScenarioResult>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as ScenarioResult;
    results.set(r.name, r);
  }
  return results;
}
