// Serving throughput with a shadow challenger vs none: the scoring processor alone
// (MockProcessorContext), records handed in batches then flushed as the runtime does per fetched
// batch; the champion is the PMML tree, the shadow the demo ONNX model or the TensorFlow graph.
// Records/s with each shadow beside the figure without one (the peer), in the same process.
// Shadows score on their worker thread: records/s is the stream thread's; "shadow results" counts
// what the worker scored of the timed pass, the rest were dropped for a full queue.
// Run: node --import tsx bench/shadow.ts [--quick] [--records 20000] [--batch 256]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Record, Serdes, Stores } from '../lib/index.ts';
import { MockProcessorContext } from '../lib/testing/index.ts';
import { encodeModelDescriptor, ModelType, type ModelDescriptor, type ServingResult, type WineRecord } from '../topologies/codecs/messages.ts';
import { ModelCache } from '../topologies/serving/model-cache.ts';
import { defaultModelLoader } from '../topologies/serving/loader.ts';
import { encodeModelSlot, type ServingModel } from '../topologies/serving/model-slot.ts';
import { cacheLane } from '../topologies/serving/roles.ts';
import { scoringProcessor } from '../topologies/serving/scoring-processor.ts';
import { shadowsIdle } from '../topologies/serving/shadow-scorer.ts';
import type { TaskStats } from '../topologies/serving/stats.ts';
import { files, pmmlDescriptor, wineRecords } from '../test/topologies/fixtures.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/shadow.ts',
  summary: "The scoring processor's records/s with an ONNX or a TensorFlow shadow model beside the PMML\nchampion, against none, in one process; shadows score on their worker thread.",
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'accepted and ignored (no broker is used)' },
    records: { type: 'string', value: 'count', description: 'records per timed pass', defaultText: '20000; 5000 with --quick' },
    batch: { type: 'string', value: 'count', description: 'records per processor batch', defaultText: '256' },
  },
  examples: ['node --import tsx bench/shadow.ts --records 10000'],
});
const count = Number(flags.records ?? (flags.quick ? 5000 : 20_000));
const batch = Number(flags.batch ?? 256);
const rows0 = wineRecords(2000);
const records = Array.from({ length: count }, (_, i) => rows0[i % rows0.length]!);

const serving = (id: string, d: ModelDescriptor): ServingModel => ({ id, name: d.name, description: '', modelType: d.modelType, since: 0, descriptor: encodeModelDescriptor(d) });
const shadows: { readonly [label: string]: ModelDescriptor | undefined } = {
  'none': undefined,
  'ONNX (demo)': { name: 'onnx', description: '', dataType: 'wine', modelType: ModelType.ONNX, data: readFileSync(new URL('../data/models/wine-onnx.onnx', import.meta.url)) },
  'TensorFlow graph': { name: 'tf', description: '', dataType: 'wine', modelType: ModelType.TENSORFLOW, data: readFileSync(files.tensorflow) },
  // Again at the end: the first also pays for warming up the champion's path.
  'none, again': undefined,
};

const perSecond = new Map<string, { rate: number; shadowed: number }>();
for (const [label, shadow] of Object.entries(shadows)) {
  const cache = new ModelCache({ load: defaultModelLoader });
  const ctx = new MockProcessorContext<string, ServingResult>();
  const S = Serdes.String();
  const modelsStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('models'), S, Serdes.Bytes()).withLoggingDisabled().build();
  const statsStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('stats'), S, Serdes.Json<TaskStats>()).withLoggingDisabled().build();
  await ctx.addStateStore(modelsStore);
  await ctx.addStateStore(statsStore);
  const champion = serving('champion@0', pmmlDescriptor(files.tree, 'wine', 'tree', ''));
  const shadowModel = shadow && serving('shadow@0', shadow);
  modelsStore.put('wine', encodeModelSlot({ current: champion, ...(shadowModel && { shadows: [shadowModel] }) }));
  if (shadow) await cache.load(cacheLane('wine', 'shadow', shadow.name), 'shadow@0', () => shadow);
  const processor = scoringProcessor({ modelsStore: 'models', statsStore: 'stats', cache, log: () => {}, resultsSink: 'results', shadowSink: 'shadow', shadowBudgetMs: 10_000 })();
  processor.init?.(ctx);
  let offset = 0, shadowed = 0;
  const drain = async () => {
    await shadowsIdle();
    await processor.flush?.();
    shadowed += ctx.forwarded().filter((f) => f.childName === 'shadow').length;
    ctx.resetForwards();
  };
  const pass = async () => {
    for (let i = 0; i < records.length; i += batch) {
      for (const r of records.slice(i, i + batch)) {
        ctx.setRecordMetadata('models_data', 0, offset);
        await processor.process(new Record<unknown, WineRecord | null>(`k${offset}`, r, offset++));
      }
      await processor.flush?.();
      shadowed += ctx.forwarded().filter((f) => f.childName === 'shadow').length;
      ctx.resetForwards();
    }
  };
  await pass(); // warm-up and compiles
  await drain();
  shadowed = 0;
  const started = performance.now();
  await pass();
  const seconds = (performance.now() - started) / 1000;
  await drain();
  perSecond.set(label, { rate: count / seconds, shadowed });
  console.error(`[bench] shadow ${label}: ${Math.round(count / seconds)} rec/s, ${shadowed} shadow results`);
  await processor.close?.();
  cache.close();
}
const none = Math.max(perSecond.get('none')!.rate, perSecond.get('none, again')!.rate);
const figures: Figure[] = [...perSecond].filter(([label]) => !label.startsWith('none')).map(([label, r]) => ({
  group: 'scoring with a shadow model, records per second', name: `PMML tree champion + ${label} shadow, batches of ${batch}`, unit: 'rec/s', ours: r.rate,
  peer: { name: 'no shadow, better of two', value: none }, ...(r.shadowed < count ? { note: `${r.shadowed} of ${count} records got a shadow result` } : {}),
}));
emitFigures(figures);
