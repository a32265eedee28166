// The runtime on a real broker (issue 3): records/s of a pass-through topology and of a stateful
// count (LevelDB store with changelog), one instance, and the changelog restore rate, next to
// what plain kafkajs consumes and produces on the same broker in the same run.
//   node --import tsx bench/runtime.ts [--brokers host:port] [--records 200000] [--keys 10000]
// Without --brokers it starts a real Apache Kafka itself (scripts/kafka) and stops it after.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { KafkaStreams, Topology, type StreamsConfig } from '../lib/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { kafkajsBaseline } from './kafkajs-baseline.ts';
import { countTopology } from '../test/runtime/fixtures.ts';

const { values } = parseArgs({
  options: { brokers: { type: 'string' }, records: { type: 'string', default: '200000' }, keys: { type: 'string', default: '10000' } },
});
const RECORDS = Number(values.records);
const KEYS = Number(values.keys);
const PARTITIONS = 4;
const log = (line: string) => console.log(`[bench] ${line}`);

const kafka = values.brokers ? undefined : await startKafka({ log });
const brokers = values.brokers?.split(',') ?? kafka!.brokers;
const suffix = Date.now().toString(36);
const client = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });

async function prepareInput(topic: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }, { topic: `${topic}-out`, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = client.producer();
  await producer.connect();
  const value = Buffer.alloc(100, 'x');
  for (let i = 0; i < RECORDS; i += 5000) {
    const messages = Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => ({ key: `key-${(i + j) % KEYS}`, value }));
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Runs `topology` over the pre-filled topic; times from the first processed record to the last. */
async function timeRun(topology: Topology, applicationId: string, stateDir?: string) {
  const config: StreamsConfig = { applicationId, brokers, stateDir: stateDir ?? mkdtempSync(join(tmpdir(), 'bench-rt-')), logLevel: 'nothing', closeOnSignals: false };
  const app = new KafkaStreams(topology, config);
  await app.start();
  let first = 0;
  const deadline = Date.now() + 300_000;
  while (app.metrics().processed < RECORDS && Date.now() < deadline) {
    if (!first && app.metrics().processed > 0) first = performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  const seconds = (performance.now() - first) / 1000;
  const processed = app.metrics().processed;
  await app.close();
  return { recordsPerSec: processed / seconds, seconds, processed, stateDir: config.stateDir! };
}

try {
  log(`kafkajs baseline (${RECORDS} x 100 B, ${PARTITIONS} partitions) ...`);
  const base = await kafkajsBaseline({ brokers, messages: RECORDS, valueBytes: 100, partitions: PARTITIONS, log });

  const input = `bench-rt-in-${suffix}`;
  log(`filling ${input} with ${RECORDS} records over ${KEYS} keys ...`);
  await prepareInput(input);

  log('pass-through topology ...');
  const passThrough = new Topology().addSource('in', { topics: [input] }).addSink('out', { topic: `${input}-out` }, 'in');
  const pt = await timeRun(passThrough, `bench-pt-${suffix}`);

  log('stateful count (LevelDB + changelog) ...');
  const stateful = await timeRun(countTopology(input, `${input}-out`), `bench-count-${suffix}`);

  log('restore: a fresh instance rebuilds the count store from its changelog ...');
  const restorer = new KafkaStreams(countTopology(input, `${input}-out`), {
    applicationId: `bench-count-${suffix}`, brokers, stateDir: mkdtempSync(join(tmpdir(), 'bench-restore-')), logLevel: 'nothing', closeOnSignals: false,
  });
  const restoreStart = performance.now();
  await restorer.start();
  while (restorer.metrics().tasks.length < PARTITIONS || restorer.state !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
  const wallMs = performance.now() - restoreStart;
  const { restoredRecords, restoreMs } = restorer.metrics();
  await restorer.close();
  // Tasks restore in parallel: the summed per-task time over-counts, so rate = records / mean task time.
  const restoreRate = restoredRecords / (restoreMs / PARTITIONS / 1000);

  const ratio = (x: number) => (x / base.consumeMsgsPerSec).toFixed(2);
  console.log('\n| measure | records/s | target | ratio to kafkajs consume |');
  console.log('|---|---|---|---|');
  console.log(`| kafkajs consume (eachBatch) | ${Math.round(base.consumeMsgsPerSec)} | | 1.00 |`);
  console.log(`| kafkajs produce (acks -1) | ${Math.round(base.produceMsgsPerSec)} | | ${ratio(base.produceMsgsPerSec)} |`);
  console.log(`| pass-through topology | ${Math.round(pt.recordsPerSec)} | >= 50,000 | ${ratio(pt.recordsPerSec)} |`);
  console.log(`| stateful count, LevelDB + changelog | ${Math.round(stateful.recordsPerSec)} | >= 20,000 | ${ratio(stateful.recordsPerSec)} |`);
  console.log(`| changelog restore (${restoredRecords} records, ${PARTITIONS} tasks in parallel) | ${Math.round(restoreRate)} | >= 100,000 | ${ratio(restoreRate)} |`);
  console.log(`| ... including start-up and group join (${Math.round(wallMs)} ms wall) | ${Math.round(restoredRecords / (wallMs / 1000))} | | |`);
} finally {
  await kafka?.stop();
}
