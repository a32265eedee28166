// Scoring throughput of the three serving topologies through the TopologyTestDriver (no broker):
// one model (a PMML tree, the TensorFlow wine graph), then `records` wine records piped one by
// one, each processed and committed (stores flushed) before the next, as the driver does. Beside
// it, the same records through `model.score` alone, to show what the topology adds. Each driver
// gets one untimed pass first: V8 needs a few thousand records before the path is optimized.
// Run: node --import tsx bench/serving.ts [records]   (default 2000; a few seconds in all)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TopologyTestDriver, loadPmml, loadTensorFlow, type Model, type ModelDescriptor } from '../lib/index.ts';
import { buildServingTopology, type TopologyKind } from '../topologies/index.ts';
import { files, pmmlDescriptor, serdes, tensorflowByLocation, wineRecords, driverStores } from '../test/topologies/fixtures.ts';

export interface ServingBenchRow {
  readonly topology: TopologyKind;
  readonly model: string;
  readonly records: number;
  /** Records per second through the driver (pipe, score, result, commit). */
  readonly perSecond: number;
  /** Mean time in `score` per record as the serving statistics measured it, µs. */
  readonly meanScoreUs: number;
}

const models: { readonly name: string; readonly descriptor: () => ModelDescriptor; readonly load: () => Promise<Model> }[] = [
  { name: 'PMML tree', descriptor: () => pmmlDescriptor(files.tree, 'wine', 'tree', ''), load: async () => loadPmml(readFileSync(files.tree)) },
  { name: 'TensorFlow graph', descriptor: () => tensorflowByLocation('wine', 'tf', ''), load: () => loadTensorFlow(readFileSync(files.tensorflow)) },
];

export async function benchServing(count = 2000): Promise<{ rows: ServingBenchRow[]; bareScoreUs: { [model: string]: number } }> {
  const rows0 = wineRecords(count);
  const records = Array.from({ length: count }, (_, i) => rows0[i % rows0.length]!);
  const warmup = records;
  const rows: ServingBenchRow[] = [];
  const bareScoreUs: { [model: string]: number } = {};
  for (const m of models) {
    const model = await m.load();
    for (const r of warmup) model.score(r as never);
    const t0 = performance.now();
    for (const r of records) model.score(r as never);
    bareScoreUs[m.name] = ((performance.now() - t0) * 1000) / records.length;
    model.close();
    for (const kind of ['naive', 'kv', 'custom'] as const) {
      const topology = buildServingTopology(kind, { log: () => {} });
      const driver = new TopologyTestDriver(topology.topology, { applicationId: `bench-${kind}` });
      try {
        await driver.createInputTopic(topology.topics.models, serdes.string, serdes.descriptor).pipeInput('wine', m.descriptor());
        const data = driver.createInputTopic(topology.topics.data, serdes.bytes, serdes.wine);
        const results = driver.createOutputTopic(topology.topics.results, serdes.string, serdes.result);
        for (const r of warmup) await data.pipeInput(null, r);
        results.readRecordsToList();
        const before = topology.localStats(driverStores(driver), 'wine')!;
        const started = performance.now();
        for (const r of records) await data.pipeInput(null, r);
        const seconds = (performance.now() - started) / 1000;
        const after = topology.localStats(driverStores(driver), 'wine')!;
        if (results.getQueueSize() !== records.length) throw new Error(`${kind}: ${results.getQueueSize()} results for ${records.length} records`);
        rows.push({
          topology: kind, model: m.name, records: records.length, perSecond: Math.round(records.length / seconds),
          meanScoreUs: Math.round(((after.duration - before.duration) * 1000 / (after.invocations - before.invocations)) * 10) / 10,
        });
      } finally {
        await driver.close();
        topology.models.close();
      }
    }
  }
  return { rows, bareScoreUs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 2000);
  const { rows, bareScoreUs } = await benchServing(count);
  console.log(`serving through TopologyTestDriver, ${count} records each (data from ${files.source})`);
  console.log('topology  model              records/s  mean score µs (stats)');
  for (const r of rows) console.log(`${r.topology.padEnd(9)} ${r.model.padEnd(18)} ${String(r.perSecond).padStart(9)}  ${r.meanScoreUs}`);
  for (const [name, us] of Object.entries(bareScoreUs)) console.log(`bare model.score, ${name}: ${us.toFixed(1)} µs per record`);
  console.log(JSON.stringify({ rows, bareScoreUs }));
}
