// What a benchmark run ran on, stored beside its figures: figures from a loaded 2-core machine
// mean little without the load average around them and the versions that produced them.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { kafkaVersion } from '../scripts/kafka/kafka.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly kernel: string;
  readonly versions: { readonly node: string; readonly java: string; readonly kafka: string; readonly kafkaStreamsPeer: string };
  readonly commit: string;
  /** Uncommitted changes in the checkout when the run started. */
  readonly dirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine(): Machine {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const pom = readFileSync(`${root}bench/peers/kafka-streams/pom.xml`, 'utf8');
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    kernel: readFileSync('/proc/version', 'utf8').split(' ').slice(0, 3).join(' '),
    versions: {
      node: process.version,
      java: java.error ? 'none' : (java.stderr.split('\n')[0] ?? '').trim(),
      kafka: kafkaVersion(),
      kafkaStreamsPeer: `Kafka Streams ${pom.match(/<kafka.version>([^<]+)</)?.[1] ?? '?'}, JPMML ${pom.match(/<jpmml.version>([^<]+)</)?.[1] ?? '?'}`,
    },
    commit: git(['rev-parse', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain']) !== '',
  };
}
