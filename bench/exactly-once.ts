// The cost of exactly-once: the kv serving topology under exactly_once_v2 beside at_least_once,
// on real Kafka and on the embedded broker, in one process (app, producer and reader). Per
// broker and guarantee, on fresh topics and application ids: records/s of N pre-produced
// WineRecords (RUNNING until the group's committed offsets reach the end), then records at a
// steady rate, each result read read_committed (what a downstream exactly-once reader sees):
// produce-to-result = arrival - the result's timestamp (the input's CreateTime, kept by scoring).
// Run: node --import tsx bench/exactly-once.ts [--quick] [--brokers host:port] [--records N] [--rate 300] [--seconds 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { KafkaStreams, type ProcessingGuarantee } from '../lib/index.ts';
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { buildKvTopology } from '../topologies/kv.ts';
import { encodeWineRecord } from '../topologies/codecs/messages.ts';
import { wineRecords } from '../test/topologies/fixtures.ts';
import { createTopics, produceModel } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/exactly-once.ts',
  summary: 'The cost of exactly-once: the kv serving topology under exactly_once_v2 beside at_least_once, on\nreal Kafka and (full run) the embedded broker: records/s of pre-produced records, then\nproduce-to-result latency at a steady rate, results read read_committed.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    records: { type: 'string', value: 'count', description: 'pre-produced records for the records/s pass', defaultText: '15000; 5000 with --quick' },
    rate: { type: 'string', value: 'count', description: 'records/s of the latency pass', defaultText: '300' },
    seconds: { type: 'string', value: 'count', description: 'seconds of the latency pass', defaultText: '6; 3 with --quick' },
  },
  examples: ['node --import tsx bench/exactly-once.ts --quick'],
});
const quick = flags.quick ?? false;
const records = Number(flags.records ?? (quick ? 5000 : 15_000));
const rate = Number(flags.rate ?? 300);
const seconds = Number(flags.seconds ?? (quick ? 3 : 6));
const PARTITIONS = 4;
const log = (line: string) => console.error(line);
const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));

interface Run { readonly perSecond: number; readonly p50: number; readonly p99: number; readonly samples: number }
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

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

async function measure(brokers: string[], guarantee: ProcessingGuarantee, n: number, s: number): Promise<Run> {
  const run = `eos-${guarantee}-${Date.now().toString(36)}`;
  const topics = { data: `${run}-data`, models: `${run}-models`, results: `${run}-results` };
  const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const reader = kafka.consumer({ groupId: `${run}-reader`, readUncommitted: false, maxWaitTimeInMs: 50 });
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-eos-'));
  const serving = buildKvTopology({ topics, log: () => {} });
  const app = new KafkaStreams(serving.topology, { applicationId: run, brokers, stateDir, processingGuarantee: guarantee, logLevel: 'error', closeOnSignals: false });
  try {
    await admin.connect();
    await producer.connect();
    await createTopics(brokers, [{ topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.results, numPartitions: PARTITIONS }]);
    await produceModel(brokers, topics.models, 'tree');
    await produce(producer, topics.data, 0, n);
    await app.start();
    while (app.state !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    while ((await lag(admin, run, topics.data)) > 0) await new Promise((r) => setTimeout(r, 50));
    const perSecond = n / ((performance.now() - started) / 1000);

    const latencies: number[] = [];
    let phaseStart = Infinity;
    const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
    await reader.connect();
    await reader.subscribe({ topics: [topics.results], fromBeginning: false });
    await reader.run({ eachMessage: async ({ message }) => { const ts = Number(message.timestamp); if (ts >= phaseStart) latencies.push(Date.now() - ts); } });
    await joined;
    await new Promise((r) => setTimeout(r, 500));
    phaseStart = Date.now();
    const total = rate * s;
    const perTick = Math.max(1, Math.round(rate / 20));
    for (let sent = 0; sent < total; sent += perTick) {
      const due = phaseStart + (sent / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      await produce(producer, topics.data, n + sent, Math.min(perTick, total - sent));
    }
    const deadline = Date.now() + 20_000;
    while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const sorted = latencies.sort((a, b) => a - b);
    return { perSecond, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), samples: sorted.length };
  } finally {
    await reader.disconnect().catch(() => {});
    await app.close();
    serving.models.close();
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const figures: Figure[] = [];
async function onBroker(name: string, brokers: string[]): Promise<void> {
  // The first run on a broker also pays for warming up (JIT, the model's compilation): not counted.
  await measure(brokers, 'at_least_once', Math.min(records, 3000), 1);
  const alos = await measure(brokers, 'at_least_once', records, seconds);
  const eos = await measure(brokers, 'exactly_once_v2', records, seconds);
  log(`[bench] ${name}: at_least_once ${JSON.stringify(alos)}, exactly_once_v2 ${JSON.stringify(eos)}`);
  const peer = (v: number) => ({ peer: { name: 'at_least_once', value: v } });
  const group = `exactly-once cost, ${name}`;
  figures.push({ group: `${group}, records/s`, name: `kv exactly_once_v2, ${records} records`, unit: 'rec/s', ours: eos.perSecond, ...peer(alos.perSecond) });
  const note = { note: `${rate} rec/s for ${seconds} s, read read_committed; ${eos.samples} and ${alos.samples} of ${rate * seconds} results seen` };
  figures.push({ group: `${group}, produce-to-result`, name: `kv exactly_once_v2 p50 at ${rate} rec/s`, unit: 'ms', ours: eos.p50, ...peer(alos.p50) });
  figures.push({ group: `${group}, produce-to-result`, name: `kv exactly_once_v2 p99 at ${rate} rec/s`, unit: 'ms', ours: eos.p99, ...peer(alos.p99), ...note });
  emitFigures(figures);
}

const kafka = flags.brokers ? undefined : await startKafka({ log });
try {
  await onBroker('real Kafka', flags.brokers?.split(',') ?? kafka!.brokers);
} finally {
  await kafka?.stop();
}
if (!quick) {
  const embedded = await startBroker({ port: 0 });
  try {
    await onBroker('embedded', embedded.brokers);
  } finally {
    await embedded.stop();
  }
}
emitFigures(figures);
