// Real Apache Kafka for development, tests and CI (a single KRaft node; see the README).
//   node --import tsx scripts/kafka/kafka.ts provision [maven args...]   fetch the jars (idempotent)
//   node --import tsx scripts/kafka/kafka.ts start [--brokers 3]         start a broker (or an N-node cluster) in the background
//   node --import tsx scripts/kafka/kafka.ts status                      is it running and answering?
//   node --import tsx scripts/kafka/kafka.ts stop                        stop it
// Programmatic use: `const kafka = await startKafka(); ... await kafka.stop()`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import { startKafka, stopPid } from './broker.ts';
import { startKafkaCluster } from './cluster.ts';
import { provisionKafka, repoRoot } from './provision.ts';

export { startKafka, stopPid, freePort, KafkaStartError } from './broker.ts';
export type { RunningKafka, StartKafkaOptions, StopOutcome } from './broker.ts';
export { startKafkaCluster } from './cluster.ts';
export type { RunningKafkaCluster, StartKafkaClusterOptions, StopMode } from './cluster.ts';
export { kafkaAvailable, provisionKafka, kafkaVersion, javaMajorVersion, KafkaProvisionError, JavaNotFoundError } from './provision.ts';
export type { ProvisionOptions, ProvisionResult } from './provision.ts';

/** The background broker the CLI started (one per checkout). */
const stateFile = join(repoRoot, '.kafka/broker.json');

interface BrokerState {
  readonly pid: number;
  /** Every node's pid when the CLI started a cluster (`start --brokers N`). */
  readonly pids?: number[];
  readonly brokers: string[];
  readonly dataDir: string;
  readonly version: string;
}

function readState(): BrokerState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as BrokerState;
}

/** True only if pid is alive and is a Kafka broker JVM (pids get reused). */
function isKafkaProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
  } catch {
    return false;
  }
}

async function answers(brokers: string[]): Promise<boolean> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function main(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'provision': {
      const result = await provisionKafka({ mavenArgs: rest });
      if (result.kind === 'already-present') console.error(`[kafka] Apache Kafka ${result.version} jars already in ${result.libsDir}`);
      return 0;
    }
    case 'start': {
      const state = readState();
      if (state && (state.pids ?? [state.pid]).some(isKafkaProcess)) {
        console.log(state.brokers.join(','));
        console.error(`[kafka] already running (pid ${(state.pids ?? [state.pid]).join(', ')})`);
        return 0;
      }
      const flag = rest.indexOf('--brokers');
      const n = flag >= 0 ? Number(rest[flag + 1]) : 1;
      if (!Number.isInteger(n) || n < 1) {
        console.error(`--brokers must be a positive integer, got '${rest[flag + 1]}'`);
        return 2;
      }
      const dataDir = join(repoRoot, '.kafka/run');
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      let next: BrokerState;
      if (n === 1) {
        const kafka = await startKafka({ detached: true, dataDir });
        next = { pid: kafka.pid, brokers: kafka.brokers, dataDir, version: kafka.version };
      } else {
        const cluster = await startKafkaCluster({ brokers: n, detached: true, dataDir });
        const pids = cluster.nodeIds.map((id) => cluster.pidOf(id)!);
        next = { pid: pids[0]!, pids, brokers: cluster.brokers, dataDir, version: cluster.version };
      }
      writeFileSync(stateFile, JSON.stringify(next, null, 2) + '\n');
      console.log(next.brokers.join(','));
      console.error(`[kafka] export MODELSTREAM_KAFKA_BROKERS=${next.brokers.join(',')}`);
      return 0;
    }
    case 'status': {
      const state = readState();
      const pids = state ? (state.pids ?? [state.pid]) : [];
      if (!state || !pids.some(isKafkaProcess)) {
        console.log('not running');
        return 1;
      }
      const ok = await answers(state.brokers);
      const down = pids.filter((p) => !isKafkaProcess(p));
      console.log(`Apache Kafka ${state.version} pid ${pids.join(', ')} on ${state.brokers.join(',')}: ${ok ? 'answering' : 'NOT answering'}${down.length ? ` (pid ${down.join(', ')} gone)` : ''}`);
      return ok && down.length === 0 ? 0 : 1;
    }
    case 'stop': {
      const state = readState();
      const pids = state ? (state.pids ?? [state.pid]).filter(isKafkaProcess) : [];
      if (pids.length === 0) console.error('[kafka] not running');
      await Promise.all(pids.map(async (pid) => {
        const outcome = await stopPid(pid);
        console.error(`[kafka] stopped pid ${pid} (${outcome === 'killed' ? 'killed after ignoring SIGTERM' : 'clean shutdown'})`);
      }));
      rmSync(stateFile, { force: true });
      return 0;
    }
    default:
      console.error('usage: node --import tsx scripts/kafka/kafka.ts provision | start [--brokers N] | status | stop');
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, ...rest] = process.argv.slice(2);
  main(command, rest).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
