// The stateful DSL on a real broker (issue 11): records/s of groupByKey().count(), a tumbling
// one-minute window count and a stream-table join, one instance, beside the pass-through topology
// of the same run (the same pre-filled input topic).
//   node --import tsx bench/dsl.ts [--brokers host:port] [--records 100000] [--keys 1000]
// Without --brokers it starts a real Apache Kafka itself (scripts/kafka) and stops it after.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { KafkaStreams, Serdes, StreamsBuilder, TimeWindows, Topology } from '../lib/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';

const { values } = parseArgs({
  options: { brokers: { type: 'string' }, records: { type: 'string', default: '100000' }, keys: { type: 'string', default: '1000' } },
});
const RECORDS = Number(values.records);
const KEYS = Number(values.keys);
const PARTITIONS = 4;
const S = Serdes.String();
const log = (line: string) => console.log(`[bench] ${line}`);

const kafka = values.brokers ? undefined : await startKafka({ log });
const brokers = values.brokers?.split(',') ?? kafka!.brokers;
const suffix = Date.now().toString(36);
const client = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
const input = `bench-dsl-in-${suffix}`;
const table = `bench-dsl-table-${suffix}`;

async function fill(): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, table, `${input}-out`].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await admin.disconnect();
  const producer = client.producer();
  await producer.connect();
  const value = 'x'.repeat(100);
  await producer.send({ topic: table, acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `row-${k}` })) });
  for (let i = 0; i < RECORDS; i += 5000) {
    const messages = Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => ({ key: `key-${(i + j) % KEYS}`, value }));
    await producer.send({ topic: input, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Runs `topology` until it processed `expected` records; times from the first to the last. */
async function timeRun(name: string, topology: Topology, expected: number) {
  const app = new KafkaStreams(topology, {
    applicationId: `bench-dsl-${name}-${suffix}`, brokers, stateDir: mkdtempSync(join(tmpdir(), 'bench-dsl-')), logLevel: 'nothing', closeOnSignals: false,
  });
  await app.start();
  let first = 0;
  const deadline = Date.now() + 300_000;
  while (app.metrics().processed < expected && Date.now() < deadline) {
    if (!first && app.metrics().processed > 0) first = performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  const seconds = (performance.now() - first) / 1000;
  const processed = app.metrics().processed;
  await app.close();
  return processed / seconds;
}

function stream(b: StreamsBuilder) {
  return b.stream<string, string>(input, { keySerde: S, valueSerde: S });
}

try {
  log(`filling ${input} with ${RECORDS} records over ${KEYS} keys, ${table} with ${KEYS} rows ...`);
  await fill();
  const rows: [string, number][] = [];
  rows.push(['pass-through topology', await timeRun('pt', new Topology().addSource('in', { topics: [input] }).addSink('out', { topic: `${input}-out` }, 'in'), RECORDS)]);
  let b = new StreamsBuilder();
  stream(b).groupByKey().count({ storeName: 'counts' });
  rows.push(['groupByKey().count() (LevelDB + changelog)', await timeRun('count', b.build(), RECORDS)]);
  b = new StreamsBuilder();
  stream(b).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(60_000, 60_000)).count({ storeName: 'minutes' });
  rows.push(['tumbling 1-minute window count (LevelDB + changelog)', await timeRun('window', b.build(), RECORDS)]);
  b = new StreamsBuilder();
  const rowsTable = b.table(table, { keySerde: S, valueSerde: S, materialized: { storeName: 'rows' } });
  stream(b).join(rowsTable, (v, r) => `${r}:${v.length}`).to(`${input}-out`, { valueSerde: S });
  rows.push(['stream-table join (records of both topics)', await timeRun('join', b.build(), RECORDS + KEYS)]);
  // Again at the end: the first run also pays for warming up (JIT, broker caches).
  rows.push(['pass-through topology, again', await timeRun('pt2', new Topology().addSource('in', { topics: [input] }).addSink('out', { topic: `${input}-out` }, 'in'), RECORDS)]);
  console.log('\n| topology | records/s | ratio to the better pass-through |');
  console.log('|---|---|---|');
  const passThrough = Math.max(rows[0]![1], rows[rows.length - 1]![1]);
  for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate)} | ${(rate / passThrough).toFixed(2)} |`);
} finally {
  await kafka?.stop();
}
