// The stateful DSL on real Kafka: records/s of groupByKey().count(), a tumbling one-minute
// window count and a stream-table join, one instance each, beside the pass-through topology on
// the same pre-filled input topic in the same run (the better of a pass-through run first and
// last: the first also pays for warming up).
// Run: node --import tsx bench/dsl.ts [--quick] [--brokers host:port] [--records N] [--keys 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { KafkaStreams, Serdes, StreamsBuilder, TimeWindows, Topology } from '../lib/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { createTopics } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/dsl.ts',
  summary: 'Records/s on real Kafka of groupByKey().count(), a tumbling one-minute window count and a\nstream-table join, beside the pass-through topology on the same pre-filled input topic.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    records: { type: 'string', value: 'count', description: 'input records', defaultText: '40000; 10000 with --quick' },
    keys: { type: 'string', value: 'count', description: 'distinct keys (and table rows)', defaultText: '1000' },
  },
  examples: ['node --import tsx bench/dsl.ts --quick --brokers localhost:9092'],
});
const RECORDS = Number(flags.records ?? (flags.quick ? 10_000 : 40_000));
const KEYS = Number(flags.keys ?? 1000);
const PARTITIONS = 4;
const S = Serdes.String();
const log = (line: string) => console.error(`[bench] ${line}`);

const kafka = flags.brokers ? undefined : await startKafka({ log });
const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
const suffix = Date.now().toString(36);
const input = `bench-dsl-in-${suffix}`;
const table = `bench-dsl-table-${suffix}`;

async function fill(): Promise<void> {
  await createTopics(brokers, [input, table, `${input}-out`].map((topic) => ({ topic, numPartitions: PARTITIONS })));
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  await producer.connect();
  const value = 'x'.repeat(100);
  await producer.send({ topic: table, acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `row-${k}` })) });
  for (let i = 0; i < RECORDS; i += 5000) {
    await producer.send({ topic: input, acks: -1, messages: Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => ({ key: `key-${(i + j) % KEYS}`, value })) });
  }
  await producer.disconnect();
}

/** Runs `topology` until it processed `expected` records; records/s from the first to the last. */
async function timeRun(name: string, topology: Topology, expected: number): Promise<number> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-dsl-'));
  const app = new KafkaStreams(topology, { applicationId: `bench-dsl-${name}-${suffix}`, brokers, stateDir, logLevel: 'nothing', closeOnSignals: false });
  try {
    await app.start();
    let first = 0;
    const deadline = Date.now() + 180_000;
    while (app.metrics().processed < expected && Date.now() < deadline) {
      if (!first && app.metrics().processed > 0) first = performance.now();
      await new Promise((r) => setTimeout(r, 10));
    }
    return app.metrics().processed / ((performance.now() - first) / 1000);
  } finally {
    await app.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const stream = (b: StreamsBuilder) => b.stream<string, string>(input, { keySerde: S, valueSerde: S });
const passThrough = () => new Topology().addSource('in', { topics: [input] }).addSink('out', { topic: `${input}-out` }, 'in');
const figures: Figure[] = [];
try {
  log(`filling ${input} with ${RECORDS} records over ${KEYS} keys, ${table} with ${KEYS} rows ...`);
  await fill();
  const first = await timeRun('pt', passThrough(), RECORDS);
  const rows: [string, number][] = [];
  let b = new StreamsBuilder();
  stream(b).groupByKey().count({ storeName: 'counts' });
  rows.push(['groupByKey().count(), LevelDB + changelog', await timeRun('count', b.build(), RECORDS)]);
  b = new StreamsBuilder();
  stream(b).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(60_000, 60_000)).count({ storeName: 'minutes' });
  rows.push(['tumbling 1-minute window count, LevelDB + changelog', await timeRun('window', b.build(), RECORDS)]);
  b = new StreamsBuilder();
  const rowsTable = b.table(table, { keySerde: S, valueSerde: S, materialized: { storeName: 'rows' } });
  stream(b).join(rowsTable, (v, r) => `${r}:${v.length}`).to(`${input}-out`, { valueSerde: S });
  rows.push(['stream-table join, records of both topics', await timeRun('join', b.build(), RECORDS + KEYS)]);
  const pt = Math.max(first, await timeRun('pt2', passThrough(), RECORDS));
  figures.push({ group: 'DSL records per second, real Kafka', name: 'pass-through topology (better of two)', unit: 'rec/s', ours: pt });
  for (const [name, perSecond] of rows) {
    figures.push({ group: 'DSL records per second, real Kafka', name, unit: 'rec/s', ours: perSecond, peer: { name: 'pass-through', value: pt } });
  }
  log(JSON.stringify(figures));
} finally {
  await kafka?.stop();
}
emitFigures(figures);
