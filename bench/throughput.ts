// Throughput of the kv serving topology against its Kafka Streams (Java 4.4 + JPMML) reference
// peer (bench/peers/kafka-streams), on one broker and one machine: N WineRecords pre-produced
// over 4 partitions and the seed's decision tree on the models topic, then, one after the other
// on fresh application ids, our kv topology (one instance, a child process), the Java peer with
// 1 stream thread and with 2. Each runs alone in its own process so that /proc gives its CPU time
// and peak RSS. Records/s are from the first result to the last (start-up reported apart);
// results are seen by polling the results topic's end offsets every 50 ms.
// Run: node --import tsx bench/throughput.ts [--records 200000 | --quick] [--brokers host:port | --broker embedded]
//      [--commit-ms N] (both engines; default: each engine's own default) [--rebuild] (the peer jar)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { encodeModelDescriptor, encodeWineRecord } from '../topologies/codecs/messages.ts';
import { files, pmmlDescriptor, wineRecords } from '../test/topologies/fixtures.ts';
import { loadAverage, measure, type ContenderSpec, type Measurement } from './peers/measure.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const peerDir = join(root, 'bench/peers/kafka-streams');
const peerJar = join(peerDir, 'target/kafka-streams-peer.jar');
const PARTITIONS = 4;

const { values: flags } = parseArgs({
  options: {
    records: { type: 'string' }, quick: { type: 'boolean' }, brokers: { type: 'string' }, broker: { type: 'string' },
    'commit-ms': { type: 'string' }, rebuild: { type: 'boolean' },
  },
});
const records = Number(flags.records ?? (flags.quick ? 20_000 : 200_000));
const log = (line: string) => console.error(line);

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}

if (flags.rebuild || !existsSync(peerJar)) {
  log('[throughput] building the Kafka Streams peer (mvn -q -B package) ...');
  execFileSync('mvn', ['-q', '-B', '-f', join(peerDir, 'pom.xml'), 'package'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

type Broker = { readonly kind: string; readonly brokers: string[]; readonly version: string; stop(): Promise<void> };
async function openBroker(): Promise<Broker> {
  if (flags.brokers) return { kind: 'given', brokers: flags.brokers.split(','), version: 'unknown', stop: async () => {} };
  if (flags.broker === 'embedded') {
    const b = await startBroker({ port: 0 });
    return { kind: 'embedded', brokers: b.brokers, version: 'modelstream embedded', stop: () => b.stop() };
  }
  const k = await startKafka({ log: () => {} });
  return { kind: 'apache-kafka', brokers: k.brokers, version: k.version, stop: () => k.stop() };
}

const broker = await openBroker();
const client = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING });
const admin = client.admin();
const run = `tp-${Date.now()}`;
const topics = { data: `${run}-data`, models: `${run}-models` };
const contenders = [
  { name: 'modelstream kv', kind: 'ours' as const, threads: 1 },
  { name: 'kafka-streams 1 thread', kind: 'java' as const, threads: 1 },
  { name: 'kafka-streams 2 threads', kind: 'java' as const, threads: 2 },
];
const rows: Measurement[] = [];
const failures: { readonly name: string; readonly error: string }[] = [];
const loadAtStart = loadAverage();
try {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.models, numPartitions: 1 },
      ...contenders.map((_, i) => ({ topic: `${run}-results-${i}`, numPartitions: PARTITIONS })),
    ],
  });
  const producer = client.producer();
  await producer.connect();
  await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(pmmlDescriptor(files.tree, 'wine', 'tree', 'decision tree'))) }] });
  const rows0 = wineRecords(2000);
  const values = rows0.map((r) => Buffer.from(encodeWineRecord(r)));
  for (let i = 0; i < records; i += 2000) {
    const n = Math.min(2000, records - i);
    await producer.send({ topic: topics.data, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `r${i + j}`, value: values[(i + j) % values.length]! })) });
  }
  await producer.disconnect();
  log(`[throughput] ${records} records on ${topics.data} (${PARTITIONS} partitions), broker ${broker.kind} ${broker.version}`);

  for (const [i, c] of contenders.entries()) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-throughput-'));
    const common = [
      '--brokers', broker.brokers.join(','), '--application-id', `${run}-${i}`, '--state-dir', stateDir,
      '--data-topic', topics.data, '--models-topic', topics.models, '--results-topic', `${run}-results-${i}`,
      ...(flags['commit-ms'] ? ['--commit-interval-ms', flags['commit-ms']] : []),
    ];
    const spec: ContenderSpec = c.kind === 'ours'
      ? { name: c.name, command: process.execPath, args: ['--import', 'tsx', join(root, 'bench/peers/kv-child.ts'), ...common], resultsTopic: `${run}-results-${i}`, records, timeoutMs: 600_000 }
      : { name: c.name, command: 'java', args: ['-jar', peerJar, ...common, '--threads', String(c.threads), '--replication-factor', '1'], resultsTopic: `${run}-results-${i}`, records, timeoutMs: 600_000 };
    try {
      rows.push(await measure(spec, admin, log));
    } catch (err) {
      // One contender failing (e.g. the Java peer on a broker it cannot talk to) leaves the others' figures.
      log(`[throughput] ${c.name} FAILED: ${(err as Error).message.slice(0, 600)}`);
      failures.push({ name: c.name, error: (err as Error).message.slice(0, 2000) });
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
} finally {
  await admin.disconnect().catch(() => {});
  await broker.stop();
}

const ours = rows.find((r) => r.name === 'modelstream kv');
if (!ours) throw new Error(`our kv topology gave no figure: ${failures.map((f) => f.error).join('; ')}`);
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(' ');
console.log(`\nkv serving throughput, ${records} pre-produced records over ${PARTITIONS} partitions, PMML decision tree (${files.source}), broker ${broker.kind} ${broker.version}, ${cpus().length} CPUs`);
console.log('contender                 records/s  ours/this  from RUNNING/s  start-up s  processing s  CPU s  CPU µs/rec  peak RSS MiB  load before -> after');
for (const r of rows) {
  console.log(`${r.name.padEnd(24)} ${String(r.perSecond).padStart(10)} ${(ours.perSecond / r.perSecond).toFixed(2).padStart(10)} ${String(r.perSecondFromRunning).padStart(15)} ${(r.startupMs / 1000).toFixed(1).padStart(11)} ${(r.processingMs / 1000).toFixed(2).padStart(13)} ${r.cpuSeconds.toFixed(1).padStart(6)} ${r.cpuUsPerRecord.toFixed(1).padStart(11)} ${String(r.peakRssMiB).padStart(13)}  ${fmt(r.loadBefore)} -> ${fmt(r.loadAfter)}`);
}

const report = {
  date: new Date().toISOString(), records, partitions: PARTITIONS, model: `${files.source}: ${files.tree.split('/').at(-1)}`,
  commitIntervalMs: flags['commit-ms'] ? Number(flags['commit-ms']) : 'engine defaults (modelstream 100, Kafka Streams 30000 at-least-once)',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryMiB: Math.round(totalmem() / 2 ** 20), kernel: readFileSync('/proc/version', 'utf8').trim() },
  load: { start: loadAtStart, end: loadAverage() },
  versions: {
    node: process.version, java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[1]?.trim(), broker: `${broker.kind} ${broker.version}`,
    kafkaStreams: readFileSync(join(peerDir, 'pom.xml'), 'utf8').match(/<kafka.version>([^<]+)</)?.[1],
    jpmml: readFileSync(join(peerDir, 'pom.xml'), 'utf8').match(/<jpmml.version>([^<]+)</)?.[1],
  },
  commit: sh('git', ['-C', root, 'rev-parse', 'HEAD']),
  rows: rows.map((r) => ({ ...r, oursOverThis: Math.round((ours.perSecond / r.perSecond) * 100) / 100 })),
  failures,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const out = join(root, `bench/results/throughput-${report.date.slice(0, 10)}${broker.kind === 'embedded' ? '-embedded' : ''}${flags.quick ? '-quick' : ''}.json`);
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
for (const f of failures) console.log(`${f.name.padEnd(24)} FAILED (see stderr and the JSON)`);
console.log(`ours/Java: ${rows.slice(1).map((r) => `${r.name} ${(ours.perSecond / r.perSecond).toFixed(2)}`).join(', ')}; ${out.slice(root.length)}`);
