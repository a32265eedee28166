// Scaling out: 1, 2 and 4 instances of the kv topology (one process each, one application id)
// over a data topic of 8 partitions on real Kafka, total records/s from the first result to
// the last. The data is produced once every instance is RUNNING and the group has settled, so
// the figure is of instances working, not rebalancing.
// Run: node --import tsx bench/scaling.ts [--quick] [--brokers host:port] [--records N]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { measure, type Measurement } from './peers/measure.ts';
import { contenderCommand, createTopics, produceData, produceModel } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, brokers: { type: 'string' }, records: { type: 'string' } } });
const quick = flags.quick ?? false;
const records = Number(flags.records ?? (quick ? 20_000 : 60_000));
const counts = quick ? [1, 2] : [1, 2, 4];
const PARTITIONS = 8;
const log = (line: string) => console.error(line);

const kafka = flags.brokers ? undefined : await startKafka({ log });
const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
const byCount = new Map<number, Measurement>();
try {
  await admin.connect();
  const run = `scale-${Date.now().toString(36)}`;
  await produceModel(brokers, `${run}-models`, 'tree');
  for (const n of counts) {
    const id = `${run}-${n}`;
    const data = `${id}-data`;
    await createTopics(brokers, [{ topic: `${id}-results`, numPartitions: PARTITIONS }, { topic: data, numPartitions: PARTITIONS }]);
    const dirs = Array.from({ length: n }, () => mkdtempSync(join(tmpdir(), 'bench-scaling-')));
    try {
      const processes = dirs.map((stateDir) => contenderCommand({ kind: 'ours', topology: 'kv' }, {
        brokers, applicationId: id, stateDir, topics: { data, models: `${run}-models`, results: `${id}-results` },
      }));
      byCount.set(n, await measure({ name: `kv x${n}`, processes, resultsTopic: `${id}-results`, records, timeoutMs: 300_000, feed: () => produceData(brokers, data, records, PARTITIONS) }, admin, log));
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }
} finally {
  await admin.disconnect().catch(() => {});
  await kafka?.stop();
}
const one = byCount.get(1)!;
const cores = `${cpus().length} cores shared by the instances, the broker and this process`;
const figures: Figure[] = [{ group: 'scaling over 8 partitions, real Kafka', name: 'kv, 1 instance', unit: 'rec/s', ours: one.perSecond }];
for (const n of counts.slice(1)) {
  figures.push({
    group: 'scaling over 8 partitions, real Kafka', name: `kv, ${n} instances vs 1`, unit: 'rec/s', ours: byCount.get(n)!.perSecond,
    peer: { name: '1 instance', value: one.perSecond }, ...(n === 2 ? { target: { ratioMin: 1.8 } } : {}),
    ...(n * 1 >= cpus().length ? { note: `${cores}: ${n} instances want more cores than there are` } : {}),
  });
}
emitFigures(figures);
