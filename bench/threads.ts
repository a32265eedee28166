// Scaling of one modelstream instance over stream threads: the kv serving topology with 1, 2
// and 4 threads (bench/peers/kv-child.ts --threads N), beside the Kafka Streams (Java 4.4 +
// JPMML) peer with num.stream.threads 1 and 2, in one run on one broker: N WineRecords
// pre-produced over 4 partitions, each contender alone in its own process on a fresh
// application id (measured as bench/throughput.ts does: first to last result, CPU from /proc).
// The load average is printed with every row: on a shared machine it says how far to trust it.
// The broker's own CPU over each contender's run is read too (real Kafka started here only): it
// shares the cores, so what it takes per 100k records is not the application's to use.
// Run: node --import tsx bench/threads.ts [--records 100000] [--brokers host:port | --broker embedded] [--threads 1,2,4]
//   [--java 1,2 | --java ''] [--model tree | tensorflow] [--profile DIR: our contenders run with --cpu-prof into DIR, a profile per thread]
// `machine busy` is the share of both cores in use from the first result to the last: near 100%
// the broker and the contender together have no core left for another thread to use.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { encodeModelDescriptor, encodeWineRecord } from '../topologies/codecs/messages.ts';
import { files, pmmlDescriptor, tensorflowByLocation, wineRecords } from '../test/topologies/fixtures.ts';
import { measure, type ContenderSpec, type Measurement } from './peers/measure.ts';
import { loadAverage } from './machine.ts';
import { parseCli } from './cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const peerDir = join(root, 'bench/peers/kafka-streams');
const peerJar = join(peerDir, 'target/kafka-streams-peer.jar');
const PARTITIONS = 4;

const { values: flags } = parseCli({
  script: 'bench/threads.ts',
  summary: 'One modelstream instance over stream threads: the kv topology on 1, 2 and 4 threads beside the\nKafka Streams peer with 1 and 2, one broker, each contender alone; prints the path of its JSON last.',
  options: {
    records: { type: 'string', value: 'count', description: 'records pre-produced', defaultText: '100000' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka', defaultText: 'start real Kafka here' },
    broker: { type: 'string', value: ['kafka', 'embedded'], description: 'the broker to start when no --brokers', defaultText: 'kafka' },
    threads: { type: 'string', value: 'counts', description: 'our stream thread counts', defaultText: '1,2,4' },
    java: { type: 'string', value: 'counts', description: "the peer's num.stream.threads ('' for none)", defaultText: "1,2; '' with --model tensorflow" },
    model: { type: 'string', value: ['tree', 'tensorflow'], description: 'the model scored (the peer scores PMML only)', defaultText: 'tree' },
    'commit-interval-ms': { type: 'string', value: 'count', description: "our contenders' commitIntervalMs, ms", defaultText: 'the library default' },
    'max-records-per-commit': { type: 'string', value: 'count', description: "our contenders' maxRecordsPerCommit", defaultText: 'the library default' },
    profile: { type: 'string', arg: 'DIR', description: 'run our contenders with --cpu-prof into DIR' },
  },
  examples: ['node --import tsx bench/threads.ts --records 20000 --broker embedded --java \'\''],
});
const records = Number(flags.records ?? 100_000);
const ourThreads = (flags.threads ?? '1,2,4').split(',').map(Number);
const model = flags.model ?? 'tree';
const javaThreads = (flags.java ?? (model === 'tree' ? '1,2' : '')).split(',').filter(Boolean).map(Number);
if (model !== 'tree' && javaThreads.length) {
  process.stderr.write("bench/threads.ts: --java: the Kafka Streams peer scores PMML only: give --java '' with --model tensorflow; see --help\n");
  process.exit(2);
}
const log = (line: string) => console.error(line);

if (javaThreads.length && !existsSync(peerJar)) {
  log('[threads] building the Kafka Streams peer (mvn -q -B package) ...');
  execFileSync('mvn', ['-q', '-B', '-f', join(peerDir, 'pom.xml'), 'package'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function openBroker(): Promise<{ kind: string; brokers: string[]; pid?: number; stop(): Promise<void> }> {
  if (flags.brokers) return { kind: 'given', brokers: flags.brokers.split(','), stop: async () => {} };
  if (flags.broker === 'embedded') {
    const b = await startBroker({ port: 0 });
    return { kind: 'embedded', brokers: b.brokers, stop: () => b.stop() };
  }
  // A loaded machine can take minutes to start a JVM broker.
  const k = await startKafka({ log: () => {}, startTimeoutMs: 300_000 });
  return { kind: `apache-kafka ${k.version}`, brokers: k.brokers, pid: k.pid, stop: () => k.stop() };
}

const contenders = [
  ...ourThreads.map((threads) => ({ name: `modelstream ${threads} thread${threads > 1 ? 's' : ''}`, kind: 'ours' as const, threads })),
  ...javaThreads.map((threads) => ({ name: `kafka-streams ${threads} thread${threads > 1 ? 's' : ''}`, kind: 'java' as const, threads })),
];
const broker = await openBroker();
const client = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING });
const admin = client.admin();
const run = `thr-${Date.now()}`;
const topics = { data: `${run}-data`, models: `${run}-models` };
const rows: (Measurement & { threads: number; loadBefore: number[]; loadAfter: number[] })[] = [];
const commitFlags = (['commit-interval-ms', 'max-records-per-commit'] as const).flatMap((f) => (flags[f] ? [`--${f}`, flags[f]!] : []));
const observe = broker.pid === undefined ? {} : { observePids: [broker.pid] };
const profile = flags.profile ? ['--cpu-prof', '--cpu-prof-dir', flags.profile] : [];
try {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.models, numPartitions: 1 },
      ...contenders.map((_, i) => ({ topic: `${run}-results-${i}`, numPartitions: PARTITIONS }))],
  });
  const producer = client.producer();
  await producer.connect();
  await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(model === 'tree' ? pmmlDescriptor(files.tree, 'wine', 'tree', 'decision tree') : tensorflowByLocation('wine', 'tf', 'tensorflow'))) }] });
  const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));
  for (let i = 0; i < records; i += 2000) {
    const n = Math.min(2000, records - i);
    await producer.send({ topic: topics.data, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `r${i + j}`, value: values[(i + j) % values.length]! })) });
  }
  await producer.disconnect();
  log(`[threads] ${records} records on ${topics.data} (${PARTITIONS} partitions), broker ${broker.kind}`);
  for (const [i, c] of contenders.entries()) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-threads-'));
    const common = ['--brokers', broker.brokers.join(','), '--application-id', `${run}-${i}`, '--state-dir', stateDir,
      '--data-topic', topics.data, '--models-topic', topics.models, '--results-topic', `${run}-results-${i}`];
    const spec: ContenderSpec = c.kind === 'ours'
      ? { name: c.name, processes: [{ command: process.execPath, args: [...profile, '--import', 'tsx', join(root, 'bench/peers/kv-child.ts'), ...common, '--threads', String(c.threads), ...commitFlags] }], resultsTopic: `${run}-results-${i}`, records, timeoutMs: 600_000, ...observe }
      : { name: c.name, processes: [{ command: 'java', args: ['-jar', peerJar, ...common, '--threads', String(c.threads), '--replication-factor', '1'] }], resultsTopic: `${run}-results-${i}`, records, timeoutMs: 600_000, ...observe };
    try {
      const loadBefore = loadAverage();
      const measured = await measure(spec, admin, log);
      rows.push({ ...measured, threads: c.threads, loadBefore, loadAfter: loadAverage() });
    } catch (err) {
      log(`[threads] ${c.name} FAILED: ${(err as Error).message.slice(0, 600)}`);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
} finally {
  await admin.disconnect().catch(() => {});
  await broker.stop();
}

const single = rows.find((r) => r.name === 'modelstream 1 thread');
const bestJava = Math.max(0, ...rows.filter((r) => r.name.startsWith('kafka-streams')).map((r) => r.perSecond));
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(' ');
console.log(`\nkv serving (${model}), ${records} records over ${PARTITIONS} partitions, broker ${broker.kind}, ${cpus().length} CPUs`);
console.log('contender                  records/s  ×1-thread  ×best-Java  CPU s/100k  broker s/100k  machine busy  start-up s  peak RSS MiB  load before -> after');
for (const r of rows) {
  const cpuPer100k = (r.cpuUsPerRecord * 100_000) / 1e6;
  console.log(`${r.name.padEnd(25)} ${String(r.perSecond).padStart(10)} ${(single ? r.perSecond / single.perSecond : 0).toFixed(2).padStart(10)} ${(bestJava ? r.perSecond / bestJava : 0).toFixed(2).padStart(11)} ${cpuPer100k.toFixed(2).padStart(11)} ${(r.observedCpuUsPerRecord === undefined ? '-' : (r.observedCpuUsPerRecord / 10).toFixed(2)).padStart(14)} ${`${Math.round(r.machineBusy * 100)}%`.padStart(13)} ${(r.startupMs / 1000).toFixed(1).padStart(11)} ${String(r.peakRssMiB).padStart(13)}  ${fmt(r.loadBefore)} -> ${fmt(r.loadAfter)}`);
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const out = join(root, `bench/results/threads-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), model, records, partitions: PARTITIONS, broker: broker.kind, cpus: cpus().length, rows }, null, 2) + '\n');
console.log(out.slice(root.length));
