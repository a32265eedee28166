// The cost of exactly-once: the kv serving topology under at_least_once and exactly_once_v2, on
// the embedded broker and on Apache Kafka, in one run. Per broker and guarantee, on fresh
// topics and application ids: (1) throughput: N WineRecords pre-produced over 4 partitions,
// records/s from RUNNING until the group's committed offsets reach the end; (2) latency: records
// produced at a steady rate, each result read read_committed (what a downstream exactly-once
// reader sees), produce-to-result latency = arrival - the result's timestamp (the input's
// CreateTime, which the scoring processor keeps). One process: the app, the producer and the reader.
// The two guarantees alternate, --repeat times each (default 3), and the median of each figure is
// reported: on a shared 2-CPU machine one run's figures move by a factor of two with the load.
// Run: node --import tsx bench/eos.ts [--records 20000] [--rate 300] [--seconds 10] [--repeat 3] [--broker embedded|kafka|both]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { KafkaStreams, type ProcessingGuarantee } from '../lib/index.ts';
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { buildKvTopology } from '../topologies/kv.ts';
import { encodeModelDescriptor, encodeWineRecord } from '../topologies/codecs/messages.ts';
import { files, pmmlDescriptor, wineRecords } from '../test/topologies/fixtures.ts';

const { values: flags } = parseArgs({ options: { records: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' }, repeat: { type: 'string' }, broker: { type: 'string' } } });
const repeat = Number(flags.repeat ?? 3);
const recordsFlag = Number(flags.records ?? 20_000);
const rate = Number(flags.rate ?? 300);
const secondsFlag = Number(flags.seconds ?? 10);
const which = flags.broker ?? 'both';
const PARTITIONS = 4;
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => console.error(line);
const quiet = kafkajs.logLevel.NOTHING;
const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));

interface Row {
  readonly broker: string;
  readonly guarantee: ProcessingGuarantee;
  readonly perSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencySamples: number;
}

async function lag(admin: kafkajs.Admin, groupId: string, topic: string): Promise<number> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.reduce((sum, p) => sum + Number(p.high) - Math.max(0, Number(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1)), 0);
}

async function produce(producer: kafkajs.Producer, topic: string, from: number, n: number): Promise<void> {
  for (let i = 0; i < n; i += 2000) {
    const k = Math.min(2000, n - i);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: k }, (_, j) => ({ key: `r${from + i + j}`, value: values[(from + i + j) % values.length]! })) });
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
}

async function measure(brokerName: string, brokers: string[], guarantee: ProcessingGuarantee, records = recordsFlag, seconds = secondsFlag): Promise<Row> {
  const run = `eos-bench-${guarantee}-${Date.now().toString(36)}`;
  const topics = { data: `${run}-data`, models: `${run}-models`, results: `${run}-results` };
  const kafka = new kafkajs.Kafka({ brokers, logLevel: quiet });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-eos-'));
  const serving = buildKvTopology({ topics, log: () => {} });
  const app = new KafkaStreams(serving.topology, { applicationId: run, brokers, stateDir, processingGuarantee: guarantee, logLevel: 'error', closeOnSignals: false });
  const reader = kafka.consumer({ groupId: `${run}-reader`, readUncommitted: false, maxWaitTimeInMs: 50 });
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: PARTITIONS }] });
    await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(pmmlDescriptor(files.tree, 'wine', 'tree', 'decision tree'))) }] });
    await produce(producer, topics.data, 0, records);
    await app.start();
    while (app.state !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    while ((await lag(admin, run, topics.data)) > 0) await new Promise((r) => setTimeout(r, 50));
    const perSecond = Math.round(records / ((performance.now() - started) / 1000));

    const latencies: number[] = [];
    let phaseStart = Infinity;
    const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
    await reader.connect();
    await reader.subscribe({ topics: [topics.results], fromBeginning: false });
    await reader.run({ eachMessage: async ({ message }) => { const ts = Number(message.timestamp); if (ts >= phaseStart) latencies.push(Date.now() - ts); } });
    await joined;
    await new Promise((r) => setTimeout(r, 1000));
    phaseStart = Date.now();
    const total = rate * seconds;
    const perTick = Math.max(1, Math.round(rate / 20));
    for (let sent = 0; sent < total; sent += perTick) {
      const due = phaseStart + (sent / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      await produce(producer, topics.data, records + sent, Math.min(perTick, total - sent));
    }
    const deadline = Date.now() + 30_000;
    while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const sorted = [...latencies].sort((a, b) => a - b);
    return { broker: brokerName, guarantee, perSecond, latencyP50Ms: percentile(sorted, 0.5), latencyP99Ms: percentile(sorted, 0.99), latencySamples: sorted.length };
  } finally {
    await reader.disconnect().catch(() => {});
    await app.close();
    serving.models.close();
    await producer.disconnect();
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
const guarantees: ProcessingGuarantee[] = ['at_least_once', 'exactly_once_v2'];
// Each broker's first run pays for warming up (JIT, the model's compilation): one is run first and not counted.
async function measureAll(name: string, brokers: string[]): Promise<void> {
  await measure(name, brokers, 'at_least_once', Math.min(recordsFlag, 5000), 2);
  const runs: Row[] = [];
  for (let i = 0; i < repeat; i++) {
    for (const g of guarantees) { runs.push(await measure(name, brokers, g)); log(JSON.stringify(runs.at(-1))); }
  }
  allRuns.push(...runs);
  for (const g of guarantees) {
    const mine = runs.filter((r) => r.guarantee === g);
    const median = (f: (r: Row) => number) => [...mine.map(f)].sort((a, b) => a - b)[Math.floor(mine.length / 2)]!;
    rows.push({ broker: name, guarantee: g, perSecond: median((r) => r.perSecond), latencyP50Ms: median((r) => r.latencyP50Ms), latencyP99Ms: median((r) => r.latencyP99Ms), latencySamples: median((r) => r.latencySamples) });
  }
}
const allRuns: Row[] = [];
if (which === 'embedded' || which === 'both') {
  const broker = await startBroker({ port: 0 });
  try {
    await measureAll('embedded', broker.brokers);
  } finally { await broker.stop(); }
}
if (which === 'kafka' || which === 'both') {
  const k = await startKafka({ log: () => {} });
  try {
    await measureAll(`apache-kafka ${k.version}`, k.brokers);
  } finally { await k.stop(); }
}

console.log(`\nkv topology, ${recordsFlag} pre-produced records over ${PARTITIONS} partitions (throughput); ${rate} records/s for ${secondsFlag} s (latency, results read read_committed); ${cpus().length} CPUs`);
console.log(`medians of ${repeat} alternating runs each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('broker                 guarantee         records/s  latency p50 ms  p99 ms  samples');
for (const r of rows) {
  console.log(`${r.broker.padEnd(22)} ${r.guarantee.padEnd(16)} ${String(r.perSecond).padStart(10)} ${String(r.latencyP50Ms).padStart(15)} ${String(r.latencyP99Ms).padStart(7)} ${String(r.latencySamples).padStart(8)}`);
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const out = join(root, `bench/results/eos-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), records: recordsFlag, rate, seconds: secondsFlag, partitions: PARTITIONS, cpus: cpus().length, repeat, load: loadavg(), rows, runs: allRuns }, null, 2) + '\n');
console.log(out.slice(root.length));
