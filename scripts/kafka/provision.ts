// Finds Java and fetches the Apache Kafka broker jars from Maven Central (scripts/kafka/pom.xml)
// into .kafka/libs. A marker file names the Kafka version, so a second run with the jars in
// place does nothing, and a version bump in the pom fetches anew.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;
export const pomPath = join(repoRoot, 'scripts/kafka/pom.xml');
export const defaultLibsDir = join(repoRoot, '.kafka/libs');

export class KafkaProvisionError extends Error {
  override readonly name = 'KafkaProvisionError';
}

export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
}

/** The Kafka version the pom asks for (its `kafka.version` property). */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pomPath, 'utf8'));
  if (!match?.[1]) throw new KafkaProvisionError(`no <kafka.version> in ${pomPath}`);
  return match[1];
}

/** `$JAVA_HOME/bin/java` when set, else `java` from PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  const candidate = home ? join(home, 'bin', 'java') : undefined;
  return candidate && existsSync(candidate) ? candidate : 'java';
}

/** Major version of the Java runtime, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const out = spawnSync(javaCommand(), ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  // `java -version` prints e.g. `openjdk version "17.0.15"` (or "1.8.0_x" for Java 8) on stderr.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(out.stderr);
  if (!match?.[1]) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

function mavenPresent(): boolean {
  const out = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  return !out.error && out.status === 0;
}

function markerPath(libsDir: string): string {
  return join(libsDir, '.provisioned');
}

export function isProvisioned(libsDir = defaultLibsDir): boolean {
  const marker = markerPath(libsDir);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === kafkaVersion();
}

/**
 * True when a real broker can be started here: Java 17+ (Kafka 4.x brokers need it), and
 * either the jars are already provisioned or Maven is there to fetch them.
 */
export function kafkaAvailable(): boolean {
  const major = javaMajorVersion();
  if (major === undefined || major < 17) return false;
  return isProvisioned() || mavenPresent();
}

export interface ProvisionOptions {
  readonly libsDir?: string;
  /** Extra Maven arguments, e.g. `-Dmaven.repo.local=/tmp/m2-cold`. */
  readonly mavenArgs?: readonly string[];
  readonly log?: (line: string) => void;
}

export type ProvisionResult =
  | { readonly kind: 'already-present'; readonly libsDir: string; readonly version: string }
  | { readonly kind: 'fetched'; readonly libsDir: string; readonly version: string; readonly ms: number; readonly jars: number };

export async function provisionKafka(options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const libsDir = options.libsDir ?? defaultLibsDir;
  const log = options.log ?? ((line: string) => console.error(line));
  const version = kafkaVersion();
  if (isProvisioned(libsDir)) return { kind: 'already-present', libsDir, version };
  if (!mavenPresent()) throw new KafkaProvisionError('Maven (mvn) is needed to fetch the Kafka jars and was not found');

  // Start from an empty dir so jars of an older version never share the classpath.
  rmSync(libsDir, { recursive: true, force: true });
  mkdirSync(libsDir, { recursive: true });
  const started = Date.now();
  log(`[kafka] fetching Apache Kafka ${version} jars from Maven Central into ${libsDir} ...`);
  const args = [
    '-q', '-B', '-f', pomPath, ...(options.mavenArgs ?? []),
    'dependency:copy-dependencies', `-DoutputDirectory=${libsDir}`,
  ];
  const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Maven 3.8 prints bare ANSI resets even with -q -B; pass on only what it has to say.
  const forward = (chunk: Buffer) => {
    const text = chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
    if (text.trim()) process.stderr.write(text);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const ticker = setInterval(() => log(`[kafka] ... still fetching (${Math.round((Date.now() - started) / 1000)} s)`), 10_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearInterval(ticker));
  if (code !== 0) throw new KafkaProvisionError(`mvn dependency:copy-dependencies exited with ${code}`);

  const jars = readdirSync(libsDir).filter((f) => f.endsWith('.jar')).length;
  if (!existsSync(join(libsDir, `kafka_2.13-${version}.jar`))) {
    throw new KafkaProvisionError(`Maven finished but kafka_2.13-${version}.jar is not in ${libsDir}`);
  }
  writeFileSync(markerPath(libsDir), `${version}\n`);
  const ms = Date.now() - started;
  log(`[kafka] fetched ${jars} jars in ${(ms / 1000).toFixed(1)} s`);
  return { kind: 'fetched', libsDir, version, ms, jars };
}
