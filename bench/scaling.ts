// Scaling out: 1, 2 and 4 instances of the kv topology (one process each, one application id)
// over a data topic of 8 partitions on real Kafka, total records/s. The data is produced once
// every instance is RUNNING and the group has settled, so the figure is of instances working,
// not rebalancing. The run checks its own counts before it prints a figure: each input has a
// result (by the partition and offset the result names; replays after a rebalance are counted
// as duplicates, not as work), the instances' own processed counts add up to at least the
// inputs, and the span is the broker's append times (LogAppendTime) of the first result and of
// the result that completed the last input. A run ends when the group has committed every input;
// the results are read afterwards, so that decoding them takes no CPU from the instances.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { measure, type Measurement } from './peers/measure.ts';
import { allInputsCommitted, inputsPerPartition, LOG_APPEND_TIME, readLedger, type ResultLedger } from './peers/result-ledger.ts';
import { contenderCommand, createTopics, produceData, produceModel } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/scaling.ts',
  summary: 'Scaling out: total records/s of 1, 2 and 4 kv instances (2 with --quick), one process each,\nover an 8-partition data topic on real Kafka; each run checks its own counts first.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    records: { type: 'string', value: 'count', description: 'records produced per run', defaultText: '60000; 20000 with --quick' },
  },
  examples: ['node --import tsx bench/scaling.ts --quick --records 5000'],
});
const quick = flags.quick ?? false;
const records = Number(flags.records ?? (quick ? 20_000 : 60_000));
const counts = quick ? [1, 2] : [1, 2, 4];
const PARTITIONS = 8;
const log = (line: string) => console.error(line);

const kafka = flags.brokers ? undefined : await startKafka({ log });
const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
/** One run's figure, from the ledger's append times; the counts it was checked on are logged. */
interface ScaledRun { readonly perSecond: number; readonly duplicates: number; readonly processed: readonly (number | undefined)[] }
const byCount = new Map<number, ScaledRun>();

class InconsistentRunError extends Error {
  override readonly name = 'InconsistentRunError';
}

try {
  await admin.connect();
  const run = `scale-${Date.now().toString(36)}`;
  await produceModel(brokers, `${run}-models`, 'tree');
  for (const n of counts) {
    const id = `${run}-${n}`;
    const data = `${id}-data`;
    const results = `${id}-results`;
    await createTopics(brokers, [{ topic: results, numPartitions: PARTITIONS, configEntries: LOG_APPEND_TIME }, { topic: data, numPartitions: PARTITIONS }]);
    const dirs = Array.from({ length: n }, () => mkdtempSync(join(tmpdir(), 'bench-scaling-')));
    try {
      const processes = dirs.map((stateDir) => contenderCommand({ kind: 'ours', topology: 'kv' }, {
        brokers, applicationId: id, stateDir, topics: { data, models: `${run}-models`, results },
      }));
      const m = await measure({
        name: `kv x${n}`, processes, resultsTopic: results, records, timeoutMs: 300_000,
        // Done when the group has committed every input (not when the results count up to it: replays count too).
        feed: () => produceData(brokers, data, records, PARTITIONS),
        complete: async () => (await inputsPerPartition(admin, data).then((e) => Object.values(e).reduce((a, b) => a + b, 0), () => 0)) >= records && allInputsCommitted(admin, id, data),
      }, admin, log);
      byCount.set(n, checkedRun(n, m, await readLedger(brokers, admin, results), await inputsPerPartition(admin, data)));
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }
} finally {
  await admin.disconnect().catch(() => {});
  await kafka?.stop();
}

/** The run's figure, or an InconsistentRunError when its counts do not add up. */
function checkedRun(n: number, m: Measurement, ledger: ResultLedger, inputs: { [partition: number]: number }): ScaledRun {
  const c = ledger.counts();
  const produced = Object.values(inputs).reduce((a, b) => a + b, 0);
  const problems = ledger.problems(inputs);
  if (produced !== records) problems.unshift(`${produced} inputs on the data topic, ${records} meant`);
  const said = m.processedByProcess.filter((p): p is number => p !== undefined);
  const processed = said.reduce((a, b) => a + b, 0);
  if (said.length !== n) problems.push(`${n - said.length} of ${n} instances did not say how much they processed`);
  else if (processed < records) problems.push(`the instances processed ${processed} records, fewer than the ${records} inputs`);
  const idle = m.processedByProcess.filter((p) => p === 0).length;
  if (idle) problems.push(`${idle} of ${n} instances processed nothing`);
  const spanMs = c.lastNewAppend - c.firstAppend;
  log(`[bench] kv x${n}: ${c.distinct} inputs with a result, ${c.duplicates} duplicate results; per partition ${JSON.stringify(c.byPartition)}; `
    + `processed per instance ${JSON.stringify(m.processedByProcess)} (sum ${processed}); ${spanMs} ms from the first result to the last input's (broker append times)`);
  if (spanMs <= 0) problems.push(`no span between the first and the last result (${spanMs} ms)`);
  if (problems.length) throw new InconsistentRunError(`kv x${n}: the run does not add up: ${problems.join('; ')}`);
  return { perSecond: Math.round(records / (spanMs / 1000)), duplicates: c.duplicates, processed: m.processedByProcess };
}

const one = byCount.get(1)!;
const cores = `${cpus().length} cores shared by the instances, the broker and this process`;
const figures: Figure[] = [{ group: 'scaling over 8 partitions, real Kafka', name: 'kv, 1 instance', unit: 'rec/s', ours: one.perSecond }];
for (const n of counts.slice(1)) {
  const r = byCount.get(n)!;
  const notes = [
    ...(n >= cpus().length ? [`${cores}: ${n} instances want more cores than there are`] : []),
    `processed per instance ${r.processed.join(', ')}`,
    ...(r.duplicates ? [`${r.duplicates} duplicate results (replays), not counted`] : []),
  ];
  figures.push({
    group: 'scaling over 8 partitions, real Kafka', name: `kv, ${n} instances vs 1`, unit: 'rec/s', ours: r.perSecond,
    peer: { name: '1 instance', value: one.perSecond }, ...(n === 2 ? { target: { ratioMin: 1.8 } } : {}), note: notes.join('; '),
  });
}
emitFigures(figures);
