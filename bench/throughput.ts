// Records/s of the three serving topologies (naive, kv, custom) against the Kafka Streams
// (Java + JPMML) peer with 1 and 2 stream threads, per model, on real Kafka and on the
// embedded broker: records pre-produced over 4 partitions, then each contender alone, in its
// own process, on a fresh application id. Records/s count from the first result to the last;
// start-up (spawn to first result), CPU seconds and peak RSS of each run are reported apart.
// Run: node --import tsx bench/throughput.ts [--quick] [--brokers host:port] [--records N]
// (without --brokers it starts real Kafka itself; the embedded broker runs in this process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startBroker } from '../lib/broker/index.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { measure, type Measurement } from './peers/measure.ts';
import { contenderCommand, contenderName, createTopics, ensurePeerJar, produceData, produceModel, type Contender, type ModelName } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/throughput.ts',
  summary: 'Records/s of the naive, kv and custom serving topologies vs the Kafka Streams (JPMML) peer with 1\nand 2 threads, per model, on real Kafka and on the embedded broker; start-up, CPU seconds, peak RSS.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    records: { type: 'string', value: 'count', description: 'records pre-produced per model', defaultText: '60000; 10000 with --quick' },
  },
  examples: ['node --import tsx bench/throughput.ts --quick'],
});
const quick = flags.quick ?? false;
const records = Number(flags.records ?? (quick ? 10_000 : 60_000));
const PARTITIONS = 4;
const log = (line: string) => console.error(line);
const ours = (topology: 'naive' | 'kv' | 'custom'): Contender => ({ kind: 'ours', topology });
const java = (threads: number): Contender => ({ kind: 'java', threads });

/** What runs on each broker: per model, the contenders. The Java peer scores PMML only. */
type Plan = { readonly model: ModelName; readonly contenders: readonly Contender[] }[];
const plans: { readonly [broker: string]: Plan } = quick
  ? { 'real Kafka': [{ model: 'tree', contenders: [ours('kv'), java(1)] }], embedded: [{ model: 'tree', contenders: [ours('kv')] }] }
  : {
    'real Kafka': [
      { model: 'tree', contenders: [ours('naive'), ours('kv'), ours('custom'), java(1), java(2)] },
      { model: 'forest', contenders: [ours('kv'), java(1)] },
      { model: 'MLP', contenders: [ours('kv'), java(1)] },
      { model: 'TensorFlow', contenders: [ours('kv')] },
    ],
    embedded: [{ model: 'tree', contenders: [ours('naive'), ours('kv'), ours('custom'), java(1)] }],
  };

interface Result { readonly broker: string; readonly model: ModelName; readonly contender: Contender; readonly m: Measurement }
const results: Result[] = [];
const failures: string[] = [];

async function runOn(broker: string, brokers: string[], plan: Plan): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  const run = `tp-${Date.now().toString(36)}`;
  await admin.connect();
  try {
    await produceData(brokers, `${run}-data`, records, PARTITIONS);
    log(`[bench] ${records} records on ${broker} (${PARTITIONS} partitions)`);
    for (const { model, contenders } of plan) {
      const modelsTopic = `${run}-models-${model}`;
      await produceModel(brokers, modelsTopic, model);
      for (const c of contenders) {
        const id = `${run}-${model}-${contenderName(c)}`.replace(/[^a-zA-Z0-9-]/g, '-');
        const stateDir = mkdtempSync(join(tmpdir(), 'bench-throughput-'));
        try {
          await createTopics(brokers, [{ topic: `${id}-results`, numPartitions: PARTITIONS }]);
          // naive reads models from the latest offset and skips records until one arrives: it gets
          // its own model and data, both produced once it is RUNNING, so its figure is bounded by
          // how fast this process produces.
          const naive = c.kind === 'ours' && c.topology === 'naive';
          const topics = naive
            ? { data: `${id}-data`, models: `${id}-models`, results: `${id}-results` }
            : { data: `${run}-data`, models: modelsTopic, results: `${id}-results` };
          if (naive) await createTopics(brokers, [{ topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.models, numPartitions: 1 }]);
          const feed = naive ? { feed: async () => { await produceModel(brokers, topics.models, model); await produceData(brokers, topics.data, records, PARTITIONS); } } : {};
          const cmd = contenderCommand(c, { brokers, applicationId: id, stateDir, topics });
          const m = await measure({ name: `${broker} ${model} ${contenderName(c)}`, processes: [cmd], resultsTopic: `${id}-results`, records, timeoutMs: 300_000, ...feed }, admin, log);
          results.push({ broker, model, contender: c, m });
          // The figures so far, so that a run stopped part-way still reports them.
          emitFigures(figures(results, failures));
        } catch (err) {
          // One contender failing leaves the others' figures; the table says which is missing.
          log(`[bench] ${broker} ${model} ${contenderName(c)} FAILED: ${(err as Error).message.slice(0, 600)}`);
          failures.push(`${broker} ${model} ${contenderName(c)}: ${(err as Error).message.split('\n')[0]!.slice(0, 200)}`);
        } finally {
          rmSync(stateDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function figures(results: readonly Result[], failures: readonly string[]): Figure[] {
  const out: Figure[] = [];
  const find = (broker: string, model: ModelName, name: string) => results.find((r) => r.broker === broker && r.model === model && contenderName(r.contender) === name);
  const failed = failures.length ? `; failed: ${failures.join('; ')}` : '';
  for (const r of results.filter((x) => x.contender.kind === 'ours')) {
    const base = { group: `records per second, ${r.broker}`, unit: 'rec/s', ours: r.m.perSecond, target: { ratioMin: 1 } };
    const javas = [find(r.broker, r.model, 'Java 1 thread'), find(r.broker, r.model, 'Java 2 threads')].filter((j) => j !== undefined);
    // No peer, no ratio to hold it to: the note says why instead of a miss.
    const { target: _none, ...untargeted } = base;
    if (javas.length === 0) out.push({ ...untargeted, name: `${contenderName(r.contender)} ${r.model}`, note: `${r.model === 'TensorFlow' ? 'the Java peer scores PMML only' : 'no Java run on this broker in this run'}${failed}` });
    for (const j of javas) out.push({ ...base, name: `${contenderName(r.contender)} ${r.model} vs ${contenderName(j.contender)}`, peer: { name: contenderName(j.contender), value: j.m.perSecond } });
  }
  // Start-up, CPU and RSS once per topology and broker, on the tree, beside Java with one thread.
  for (const r of results.filter((x) => x.contender.kind === 'ours' && x.model === 'tree')) {
    const j = find(r.broker, 'tree', 'Java 1 thread');
    const peer = (v: (m: Measurement) => number) => (j ? { peer: { name: 'Java 1 thread', value: v(j.m) } } : {});
    const name = `${contenderName(r.contender)} tree, ${r.broker}`;
    out.push({ group: 'start-up to first result', name, unit: 's', ours: r.m.startupMs / 1000, ...peer((m) => m.startupMs / 1000) });
    out.push({ group: 'peak RSS per server run', name, unit: 'MiB', ours: r.m.peakRssMiB, ...peer((m) => m.peakRssMiB) });
    out.push({ group: 'CPU per server run', name: `${name}, ${records} records`, unit: 'CPU s', ours: r.m.cpuSeconds, ...peer((m) => m.cpuSeconds) });
    out.push({ group: 'CPU per record while processing', name, unit: 'µs', ours: r.m.cpuUsPerRecord, ...peer((m) => m.cpuUsPerRecord) });
  }
  return out;
}

ensurePeerJar(log);
const kafka = flags.brokers ? undefined : await startKafka({ log });
try {
  await runOn('real Kafka', flags.brokers?.split(',') ?? kafka!.brokers, plans['real Kafka']!);
} finally {
  await kafka?.stop();
}
const embedded = await startBroker({ port: 0 });
try {
  await runOn('embedded', embedded.brokers, plans.embedded!);
} finally {
  await embedded.stop();
}
for (const r of results) log(`[bench] ${r.broker} ${r.model} ${contenderName(r.contender)}: ${JSON.stringify(r.m)}`);
emitFigures(figures(results, failures));
