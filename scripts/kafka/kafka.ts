// Real Apache Kafka for development, tests and CI (a single KRaft node; see the README).
//   node --import tsx scripts/kafka/kafka.ts provision [maven args...]   fetch the jars (idempotent)
//   node --import tsx scripts/kafka/kafka.ts start                       start a broker in the background
//   node --import tsx scripts/kafka/kafka.ts status                      is it running and answering?
//   node --import tsx scripts/kafka/kafka.ts stop                        stop it
// Programmatic use: `const kafka = await startKafka(); ... await kafka.stop()`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import { startKafka, stopPid } from './broker.ts';
import { provisionKafka, repoRoot } from './provision.ts';

export { startKafka, stopPid, freePort, KafkaStartError } from './broker.ts';
export type { RunningKafka, StartKafkaOptions, StopOutcome } from './broker.ts';
export { kafkaAvailable, provisionKafka, kafkaVersion, javaMajorVersion, KafkaProvisionError, JavaNotFoundError } from './provision.ts';
export type { ProvisionOptions, ProvisionResult } from './provision.ts';

/** The background broker the CLI started (one per checkout). */
const stateFile = join(repoRoot, '.kafka/broker.json');

interface BrokerState {
  readonly pid: number;
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
      if (state && isKafkaProcess(state.pid)) {
        console.log(state.brokers.join(','));
        console.error(`[kafka] already running (pid ${state.pid})`);
        return 0;
      }
      const dataDir = join(repoRoot, '.kafka/run');
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      const kafka = await startKafka({ detached: true, dataDir });
      const next: BrokerState = { pid: kafka.pid, brokers: kafka.brokers, dataDir, version: kafka.version };
      writeFileSync(stateFile, JSON.stringify(next, null, 2) + '\n');
      console.log(kafka.brokers.join(','));
      console.error(`[kafka] export MODELSTREAM_KAFKA_BROKERS=${kafka.brokers.join(',')}`);
      return 0;
    }
    case 'status': {
      const state = readState();
      if (!state || !isKafkaProcess(state.pid)) {
        console.log('not running');
        return 1;
      }
      const ok = await answers(state.brokers);
      console.log(`Apache Kafka ${state.version} pid ${state.pid} on ${state.brokers.join(',')}: ${ok ? 'answering' : 'NOT answering'}`);
      return ok ? 0 : 1;
    }
    case 'stop': {
      const state = readState();
      if (state && isKafkaProcess(state.pid)) {
        const outcome = await stopPid(state.pid);
        console.error(`[kafka] stopped pid ${state.pid} (${outcome === 'killed' ? 'killed after ignoring SIGTERM' : 'clean shutdown'})`);
      } else {
        console.error('[kafka] not running');
      }
      rmSync(stateFile, { force: true });
      return 0;
    }
    default:
      console.error('usage: node --import tsx scripts/kafka/kafka.ts provision|start|status|stop');
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
