// What some tests need from outside the repository, and the one way they react when it is
// missing: the test is registered with uvu's test.skip (test/run.ts counts it as skipped), unless
// the run declared the dependency required (MODELSTREAM_REQUIRE_*=1, as .ci/run does): then the
// test is registered as a failing one whose message names what is missing. Nothing is probed at
// load beyond the first use, and a missing dependency never crashes a test file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { test as uvuTest, type Callback } from 'uvu';
import { defaultLibsDir, javaMajorVersion, kafkaAvailable } from '../scripts/kafka/provision.ts';
import { javaUnavailableReason } from './jpmml/jpmml.ts';
import { seedMissingReason } from './seed-data.ts';

export { SEED_DIR, seedFile } from './seed-data.ts';

export interface Dependency {
  /** What a reader of the skip or failure message should look for ("kcat", "the seed data"). */
  readonly name: string;
  /** Environment variables any one of which set to 1 makes the dependency mandatory. */
  readonly requiredBy: readonly string[];
  /** Why it is missing here, or undefined when present (probed once). */
  readonly missing: () => string | undefined;
}

/** A dependency a run declared required (MODELSTREAM_REQUIRE_*=1) is missing. */
export class RequiredDependencyError extends Error {
  override readonly name: string = 'RequiredDependencyError';
}

export type Availability =
  | { readonly kind: 'present' }
  | { readonly kind: 'skipped'; readonly dependency: Dependency; readonly why: string }
  | { readonly kind: 'required'; readonly dependency: Dependency; readonly message: string };

function once(probe: () => string | undefined): () => string | undefined {
  let result: { why: string | undefined } | undefined;
  return () => (result ??= { why: probe() }).why;
}

const KAFKA = 'MODELSTREAM_REQUIRE_KAFKA';

export const seed: Dependency = { name: 'the seed data', requiredBy: ['MODELSTREAM_REQUIRE_SEED'], missing: once(seedMissingReason) };

/** Java (and Maven unless the harness is built) to run JPMML-Evaluator; a run needing Kafka has Java. */
export const jpmml: Dependency = { name: 'Java for JPMML-Evaluator', requiredBy: ['MODELSTREAM_REQUIRE_JAVA', KAFKA], missing: once(javaUnavailableReason) };

/** kcat (librdkafka): a client no one here wrote; .ci/run installs it beside Kafka. */
export const kcat: Dependency = {
  name: 'kcat',
  requiredBy: [KAFKA],
  missing: once(() => (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0 ? undefined : '`kcat -V` does not run (apt-get install -y kcat)')),
};

/** Kafka's own Java console tools: Java 17+ and the 4.x jars scripts/kafka provisions. */
export const kafkaTools: Dependency = {
  name: 'Java 17+ and the Kafka jars in .kafka/libs',
  requiredBy: [KAFKA],
  missing: once(() => {
    if ((javaMajorVersion() ?? 0) < 17) return 'no Java 17+ on PATH or JAVA_HOME';
    const jars = existsSync(defaultLibsDir) && readdirSync(defaultLibsDir).some((f) => /^kafka-tools-4\..*\.jar$/.test(f));
    return jars ? undefined : `no kafka-tools 4.x jar in ${defaultLibsDir} (node --import tsx scripts/kafka/kafka.ts provision)`;
  }),
};

/** What scripts/kafka needs to provision and start a broker of its own. */
export const kafkaInstall: Dependency = {
  name: 'Java 17+ and Maven (or provisioned jars) to run Apache Kafka',
  requiredBy: [KAFKA],
  missing: once(() => (kafkaAvailable() ? undefined : 'no Java 17+, or neither Maven nor provisioned jars in .kafka/libs')),
};

/** The brokers of a real Kafka, given by test/services.ts (or by hand) in MODELSTREAM_KAFKA_BROKERS. */
export const realKafka: Dependency = {
  name: 'a real Kafka broker',
  requiredBy: [KAFKA],
  missing: once(() => (kafkaBrokers().length > 0 ? undefined : 'MODELSTREAM_KAFKA_BROKERS is not set (test/services.ts starts Kafka when Java 17+ is installed)')),
};

/** The real brokers from MODELSTREAM_KAFKA_BROKERS (comma-separated); empty when none. */
export function kafkaBrokers(): string[] {
  return (process.env.MODELSTREAM_KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
}

const requiredVar = (d: Dependency) => d.requiredBy.find((v) => process.env[v] === '1');

/** Present, skipped, or required and missing: the first missing dependency a run requires wins. */
export function availability(deps: Dependency | readonly Dependency[]): Availability {
  const list: readonly Dependency[] = Array.isArray(deps) ? deps : [deps as Dependency];
  let skipped: Availability | undefined;
  for (const dependency of list) {
    const why = dependency.missing();
    if (why === undefined) continue;
    const by = requiredVar(dependency);
    if (by) return { kind: 'required', dependency, message: `${dependency.name} is required (${by}=1) but missing: ${why}` };
    skipped ??= { kind: 'skipped', dependency, why };
  }
  return skipped ?? { kind: 'present' };
}

export function present(deps: Dependency | readonly Dependency[]): boolean {
  return availability(deps).kind === 'present';
}

const told = new Set<string>();
function tellSkipped(a: Extract<Availability, { kind: 'skipped' }>): void {
  if (told.has(a.dependency.name)) return;
  told.add(a.dependency.name);
  console.log(`[skip] ${a.dependency.name}: ${a.why}; the tests needing it are skipped (${a.dependency.requiredBy.join(' or ')}=1 makes this a failure)`);
}

/** How a gated test is registered: like uvu's `test(name, fn)`. */
export type Register = (name: string, fn: Callback) => void;

/**
 * `base` (uvu's test, or a suite) when every dependency is present; else a registrar whose tests
 * are skipped, or fail with a RequiredDependencyError when the run requires the missing one.
 */
export function needs(deps: Dependency | readonly Dependency[], base: { (name: string, fn: Callback): void; skip(name?: string): void } = uvuTest): Register {
  const a = availability(deps);
  if (a.kind === 'present') return (name, fn) => base(name, fn);
  if (a.kind === 'required') return (name) => base(name, () => { throw new RequiredDependencyError(a.message); });
  tellSkipped(a);
  return (name) => base.skip(name);
}

/**
 * For code that has a fallback rather than tests to skip (fixtures that use the demo data when
 * the seed is absent): true when present, false (said once) when missing, and a
 * RequiredDependencyError when the run requires it.
 */
export function presentUnlessRequired(dep: Dependency, fallback: string): boolean {
  const a = availability(dep);
  if (a.kind === 'required') throw new RequiredDependencyError(a.message);
  if (a.kind === 'present') return true;
  if (!told.has(dep.name)) console.log(`[fallback] ${dep.name}: ${a.why}; ${fallback}`);
  told.add(dep.name);
  return false;
}
