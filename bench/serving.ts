// Scoring throughput of the serving topologies, three ways:
// 1. TopologyTestDriver (no broker): records piped one by one, each processed and committed
//    before the next as the driver does, so every batch holds one record; beside it, the same
//    records through `model.score` alone, to show what the topology adds.
// 2. The scoring processor alone through MockProcessorContext, records handed in batches of 1,
//    64 and 1024 then flushed, as the runtime does per fetched batch.
// 3. The kv topology on the embedded broker, in this process: data and model produced first,
//    then one instance reads it in real fetched batches.
// Drivers and processors get one untimed pass first: V8 needs a few thousand records to optimize.
// Run: node --import tsx bench/serving.ts [records]   (default 2000; broker run 5x that; ~half a minute)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { KafkaStreams, Record, Serdes, Stores } from '../lib/index.ts';
import { MockProcessorContext, TopologyTestDriver } from '../lib/testing/index.ts';
import { loadPmml, loadTensorFlow, type Model } from '../lib/models/index.ts';
import { startBroker } from '../lib/broker/index.ts';
import { WINE_FEATURES, encodeModelDescriptor, encodeWineRecord, type ModelDescriptor, type ServingResult, type WineRecord } from '../topologies/codecs/messages.ts';
import { buildKvTopology, buildServingTopology, type TopologyKind } from '../topologies/index.ts';
import { ModelCache } from '../topologies/serving/model-cache.ts';
import { defaultModelLoader } from '../topologies/serving/loader.ts';
import { encodeModelSlot } from '../topologies/serving/model-slot.ts';
import { scoringProcessor } from '../topologies/serving/scoring-processor.ts';
import type { TaskStats } from '../topologies/serving/stats.ts';
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
  { name: 'TensorFlow graph', descriptor: () => tensorflowByLocation('wine', 'tf', ''), load: () => loadTensorFlow(readFileSync(files.tensorflow), { features: WINE_FEATURES }) },
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

export interface BatchBenchRow {
  readonly model: string;
  readonly batch: number;
  /** Records per second through `process` and `flush` (store writes included). */
  readonly perSecond: number;
  /** Mean time in the model per record as the serving statistics measured it, µs. */
  readonly meanScoreUs: number;
}

/** The scoring processor alone: `count` records handed in batches of `batch`, each batch then flushed. */
export async function benchBatches(count = 2000, batches: readonly number[] = [1, 64, 1024]): Promise<BatchBenchRow[]> {
  const rows0 = wineRecords(count);
  const records = Array.from({ length: count }, (_, i) => rows0[i % rows0.length]!);
  const rows: BatchBenchRow[] = [];
  for (const m of models) {
    for (const batch of batches) {
      const cache = new ModelCache({ load: defaultModelLoader });
      const ctx = new MockProcessorContext<string, ServingResult>();
      const S = Serdes.String();
      const modelsStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('models'), S, Serdes.Bytes()).withLoggingDisabled().build();
      const statsStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('stats'), S, Serdes.Json<TaskStats>()).withLoggingDisabled().build();
      await ctx.addStateStore(modelsStore);
      await ctx.addStateStore(statsStore);
      const d = m.descriptor();
      modelsStore.put('wine', encodeModelSlot({ current: { id: 'bench@0:0', name: d.name, description: '', modelType: d.modelType, since: 0, descriptor: encodeModelDescriptor(d) } }));
      const processor = scoringProcessor({ modelsStore: 'models', statsStore: 'stats', cache, log: () => {} })();
      processor.init?.(ctx);
      let offset = 0;
      const pass = async () => {
        for (let i = 0; i < records.length; i += batch) {
          for (const r of records.slice(i, i + batch)) {
            ctx.setRecordMetadata('models_data', 0, offset);
            await processor.process(new Record<unknown, WineRecord | null>(null, r, offset++));
          }
          await processor.flush?.();
          ctx.resetForwards();
        }
      };
      try {
        await pass(); // warm-up, and the compile
        await pass();
        const before = statsStore.get('wine')!;
        const started = performance.now();
        await pass();
        const seconds = (performance.now() - started) / 1000;
        const after = statsStore.get('wine')!;
        if (after.invocations - before.invocations !== records.length) throw new Error(`batch ${batch}: ${after.invocations - before.invocations} scored of ${records.length}`);
        rows.push({
          model: m.name, batch, perSecond: Math.round(records.length / seconds),
          meanScoreUs: Math.round(((after.duration - before.duration) * 1000 / records.length) * 10) / 10,
        });
      } finally {
        cache.close();
      }
    }
  }
  return rows;
}

export interface BrokerBenchRow {
  readonly model: string;
  readonly records: number;
  /** Records per second from the instance RUNNING to the last record scored. */
  readonly perSecond: number;
  readonly meanScoreUs: number;
}

/** The kv topology, one instance, on the embedded broker (2 data partitions), over `count` pre-produced records. */
export async function benchBroker(count = 10_000): Promise<BrokerBenchRow[]> {
  const broker = await startBroker({ port: 0 });
  const client = new kafkajs.Kafka({ brokers: broker.brokers, logLevel: kafkajs.logLevel.NOTHING });
  const rows0 = wineRecords(count);
  const values = Array.from({ length: count }, (_, i) => Buffer.from(encodeWineRecord(rows0[i % rows0.length]!)));
  const rows: BrokerBenchRow[] = [];
  try {
    for (const [n, m] of models.entries()) {
      const topics = { data: `bench-data-${n}`, models: `bench-models-${n}`, results: `bench-results-${n}` };
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: topics.data, numPartitions: 2 }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 2 }], waitForLeaders: true });
      await admin.disconnect();
      const producer = client.producer();
      await producer.connect();
      await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(m.descriptor())) }] });
      for (let i = 0; i < count; i += 1000) {
        await producer.send({ topic: topics.data, acks: -1, messages: values.slice(i, i + 1000).map((value, j) => ({ key: `r${i + j}`, value })) });
      }
      await producer.disconnect();
      // The kv topology reads the models topic from the start, so the model serves the first record.
      const topology = buildKvTopology({ topics, log: () => {} });
      const stateDir = mkdtempSync(join(tmpdir(), 'bench-serving-'));
      const app = new KafkaStreams(topology.topology, { applicationId: `bench-serving-${n}`, brokers: broker.brokers, stateDir, logLevel: 'nothing', closeOnSignals: false });
      try {
        // Timed from RUNNING (tasks assigned) to the last record scored, so it includes the fetches
        // but not the group join. (A timer cannot see the first record: processing a fetched batch
        // does not yield to timers.)
        let running = 0;
        app.onStateChange((next) => { if (next === 'RUNNING' && !running) running = performance.now(); });
        await app.start();
        const scored = () => topology.localStats(app, 'wine')?.invocations ?? 0;
        const deadline = Date.now() + 120_000;
        while (scored() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        const seconds = (performance.now() - running) / 1000;
        const stats = topology.localStats(app, 'wine')!;
        if (stats.invocations !== count) throw new Error(`broker run: ${stats.invocations} scored of ${count}`);
        rows.push({ model: m.name, records: count, perSecond: Math.round(count / seconds), meanScoreUs: Math.round((stats.duration * 1000 / count) * 10) / 10 });
      } finally {
        await app.close();
        topology.models.close();
        rmSync(stateDir, { recursive: true, force: true });
      }
    }
  } finally {
    await broker.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 2000);
  const { rows, bareScoreUs } = await benchServing(count);
  console.log(`serving through TopologyTestDriver (one record per batch), ${count} records each (data from ${files.source})`);
  console.log('topology  model              records/s  mean score µs (stats)');
  for (const r of rows) console.log(`${r.topology.padEnd(9)} ${r.model.padEnd(18)} ${String(r.perSecond).padStart(9)}  ${r.meanScoreUs}`);
  for (const [name, us] of Object.entries(bareScoreUs)) console.log(`bare model.score, ${name}: ${us.toFixed(1)} µs per record`);
  const batches = await benchBatches(count);
  console.log(`\nscoring processor alone (MockProcessorContext), ${count} records in batches, each batch flushed`);
  console.log('model              batch  records/s  mean score µs (stats)');
  for (const r of batches) console.log(`${r.model.padEnd(18)} ${String(r.batch).padStart(5)}  ${String(r.perSecond).padStart(9)}  ${r.meanScoreUs}`);
  const broker = await benchBroker(count * 5);
  console.log(`\nkv topology on the embedded broker (in this process), ${count * 5} records, fetched batches`);
  console.log('model              records/s  mean score µs (stats)');
  for (const r of broker) console.log(`${r.model.padEnd(18)} ${String(r.perSecond).padStart(9)}  ${r.meanScoreUs}`);
  console.log(JSON.stringify({ rows, bareScoreUs, batches, broker }));
}
