// Produce-to-result latency at a fixed offered load: WineRecords produced at 1,000 and then
// 10,000 records/s, scored by our kv topology or by the Kafka Streams peer (1 thread). Both
// topics use LogAppendTime, so a record's timestamp is the broker's append of the input, which
// both engines copy into the ServingResult, and the result's own timestamp is the broker's
// append of the result: the difference is the engine's latency, whatever this (loaded) process's
// producer and consumer lag. p50/p99/max per offered load, after a warm-up.
// Run: node --import tsx bench/latency.ts [--quick] [--brokers host:port] [--seconds 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { decodeServingResult, encodeWineRecord } from '../topologies/codecs/messages.ts';
import { wineRecords } from '../test/topologies/fixtures.ts';
import { startProcess } from './peers/measure.ts';
import { contenderCommand, contenderName, createTopics, ensurePeerJar, produceModel, type Contender } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/latency.ts',
  summary: 'Produce-to-result latency (p50/p99/max, LogAppendTime both ends) at 1,000 and 10,000 records/s\noffered, scored by our kv topology and by the Kafka Streams peer (1 thread), after a warm-up.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    seconds: { type: 'string', value: 'count', description: 'seconds measured per offered load', defaultText: '15; 3 with --quick' },
    'ours-only': { type: 'boolean', description: 'skip the Kafka Streams peer' },
  },
  examples: ['node --import tsx bench/latency.ts --quick --ours-only'],
});
const quick = flags.quick ?? false;
const seconds = Number(flags.seconds ?? (quick ? 3 : 15));
// Kafka Streams lingers 100 ms before sending its producer's batch (its own override of the
// producer's default): at 1,000 rec/s that alone sets its p50. The peer runs with the plain Kafka 4
// producer's default (KIP-1030) instead; ours (kafkajs) sends each commit's records at once.
const JAVA_LINGER_MS = 5;
const rates = quick ? [1000] : [1000, 10_000];
const WARMUP_S = 2;
const PARTITIONS = 4;
const log = (line: string) => console.error(line);

interface Phase { readonly rate: number; readonly from: number; readonly to: number }
interface Stats { readonly p50: number; readonly p99: number; readonly max: number; readonly results: number; readonly sent: number }

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Sends at `rate` records/s for `ms`: every 5 ms what is due, a few sends in flight; returns how many were sent. */
async function offer(producer: kafkajs.Producer, topic: string, rate: number, ms: number, values: readonly Buffer[]): Promise<number> {
  const start = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (performance.now() - start < ms) {
    // At most 500 a send: a starved loop must not build one request over the broker's size limit.
    const due = Math.min(500, Math.floor(((performance.now() - start) / 1000) * rate) - sent);
    if (due > 0 && inFlight.size < 8) {
      const p = producer.send({ topic, acks: 1, messages: Array.from({ length: due }, (_, i) => ({ value: values[(sent + i) % values.length]! })) });
      sent += due;
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  return sent;
}

async function runContender(c: Contender, brokers: string[]): Promise<Map<number, Stats>> {
  const id = `lat-${Date.now().toString(36)}-${contenderName(c).replace(/\W+/g, '-')}`;
  const topics = { data: `${id}-data`, models: `${id}-models`, results: `${id}-results` };
  const appendTime = [{ name: 'message.timestamp.type', value: 'LogAppendTime' }];
  await createTopics(brokers, [{ topic: topics.data, numPartitions: PARTITIONS, configEntries: appendTime }, { topic: topics.results, numPartitions: PARTITIONS, configEntries: appendTime }]);
  await produceModel(brokers, topics.models, 'tree');
  const client = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
  const producer = client.producer();
  const consumer = client.consumer({ groupId: `${id}-reader`, maxWaitTimeInMs: 100 });
  const arrivals: { ts: number; latency: number }[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const cmd = contenderCommand(c, { brokers, applicationId: id, stateDir, topics, ...(c.kind === 'java' ? { lingerMs: JAVA_LINGER_MS } : {}) });
  const proc = startProcess(cmd.command, cmd.args);
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: topics.results, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const input = decodeServingResult(m.value!).timestamp;
          arrivals.push({ ts: input, latency: Number(m.timestamp) - input });
        }
      },
    });
    await proc.waitFor(/^state RUNNING$/m, 120_000);
    const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));
    // Until results flow (the Java peer bootstraps its global store after RUNNING), then a warm-up.
    const deadline = Date.now() + 60_000;
    while (arrivals.length === 0 && Date.now() < deadline) await offer(producer, topics.data, 200, 500, values);
    await offer(producer, topics.data, rates[0]!, WARMUP_S * 1000, values);
    const phases: (Phase & { sent: number })[] = [];
    for (const rate of rates) {
      const from = Date.now();
      const sent = await offer(producer, topics.data, rate, seconds * 1000, values);
      phases.push({ rate, from, to: Date.now(), sent });
    }
    const total = await (async () => {
      const end = Date.now() + 15_000;
      const want = phases.reduce((s, p) => s + p.sent, 0);
      for (;;) {
        const got = arrivals.filter((a) => a.ts >= phases[0]!.from).length;
        if (got >= want || Date.now() > end) return got;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    log(`[bench] latency ${contenderName(c)}: ${total} results of the timed phases`);
    const out = new Map<number, Stats>();
    for (const p of phases) {
      const lat = arrivals.filter((a) => a.ts >= p.from && a.ts < p.to).map((a) => a.latency).sort((a, b) => a - b);
      out.set(p.rate, { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.at(-1) ?? NaN, results: lat.length, sent: p.sent });
      log(`[bench] ${contenderName(c)} at ${p.rate}/s: ${JSON.stringify(out.get(p.rate))}`);
    }
    return out;
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

ensurePeerJar(log);
const kafka = flags.brokers ? undefined : await startKafka({ log });
const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
let ours: Map<number, Stats>, java: Map<number, Stats> | undefined;
try {
  ours = await runContender({ kind: 'ours', topology: 'kv' }, brokers);
  java = flags['ours-only'] ? undefined : await runContender({ kind: 'java', threads: 1 }, brokers).catch((err: Error) => {
    log(`[bench] Java peer FAILED: ${err.message.slice(0, 600)}`);
    return undefined;
  });
} finally {
  await kafka?.stop();
}
const figures: Figure[] = [];
for (const rate of rates) {
  const o = ours.get(rate)!, j = java?.get(rate);
  const lost = o.results < o.sent ? `; ${o.sent - o.results} of ${o.sent} results not seen within 15 s` : '';
  // A starved producer offers less than asked: the rates actually offered decide what compares.
  const offered = `offered ${Math.round(o.sent / seconds)} rec/s to ours${j ? `, ${Math.round(j.sent / seconds)} to Java (linger.ms ${JAVA_LINGER_MS})` : ''}`;
  for (const q of ['p50', 'p99', 'max'] as const) {
    const target = q === 'p99' ? (rate === 1000 ? { ratioMax: 1, max: 10 } : { ratioMax: 1 }) : undefined;
    figures.push({
      group: 'produce-to-result latency, real Kafka', name: `kv ${q} at ${rate.toLocaleString('en-US')} rec/s`, unit: 'ms', ours: o[q],
      ...(j ? { peer: { name: 'Java 1 thread', value: j[q] } } : {}), ...(target ? { target } : {}),
      ...(q === 'p99' ? { note: offered + lost } : {}),
    });
  }
}
emitFigures(figures);
