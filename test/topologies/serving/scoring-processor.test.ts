// The scoring processor alone, through MockProcessorContext: several records per batch (the test
// driver commits after every pipe, so there each batch holds one record).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Stores } from '../../../lib/index.ts';
import { defaultModelLoader } from '../../../topologies/serving/loader.ts';
import { MockProcessorContext } from '../../../lib/testing/index.ts';
import { loadPmml, type Model } from '../../../lib/models/index.ts';
import { encodeModelDescriptor, type ModelDescriptor, type ServingResult, type WineRecord } from '../../../topologies/codecs/messages.ts';
import { ModelCache } from '../../../topologies/serving/model-cache.ts';
import { encodeModelSlot } from '../../../topologies/serving/model-slot.ts';
import { scoringProcessor } from '../../../topologies/serving/scoring-processor.ts';
import type { TaskStats } from '../../../topologies/serving/stats.ts';
import { files, pmmlDescriptor, wineRecords } from '../fixtures.ts';

interface Calls { loads: number; score: number; batches: { dataType: string; size: number }[] }

/** A model that counts its calls, around the real one; `busyMs` holds the thread in each scoreBatch, as a slow model would. */
function counting(model: Model, dataType: string, calls: Calls, busyMs = 0): Model {
  return {
    kind: model.kind,
    score: (r) => { calls.score++; return model.score(r); },
    scoreBatch: (rs) => {
      calls.batches.push({ dataType, size: rs.length });
      for (const until = performance.now() + busyMs; performance.now() < until;) { /* busy */ }
      return model.scoreBatch(rs);
    },
    close: () => model.close(),
  };
}

async function setup(descriptors: readonly ModelDescriptor[], maxBatch?: number, busyMs?: number) {
  const calls: Calls = { loads: 0, score: 0, batches: [] };
  const cache = new ModelCache({
    load: async (d) => { calls.loads++; return counting(await defaultModelLoader(d), d.dataType, calls, busyMs); },
  });
  const ctx = new MockProcessorContext<string, ServingResult>();
  const models = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('models'), Serdes.String(), Serdes.Bytes()).withLoggingDisabled().build();
  const stats = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('stats'), Serdes.String(), Serdes.Json<TaskStats>()).withLoggingDisabled().build();
  await ctx.addStateStore(models);
  await ctx.addStateStore(stats);
  descriptors.forEach((d, i) => {
    const current = { id: `${d.name}@0:${i}`, name: d.name, description: d.description, modelType: d.modelType, since: 1000, descriptor: encodeModelDescriptor(d) };
    models.put(d.dataType, encodeModelSlot({ current }));
  });
  const processor = scoringProcessor({ modelsStore: 'models', statsStore: 'stats', cache, log: () => {}, ...(maxBatch && { maxBatch }) })();
  processor.init?.(ctx);
  let offset = 0;
  const send = async (records: readonly WineRecord[]) => {
    for (const r of records) {
      ctx.setRecordMetadata('models_data', 2, offset);
      await processor.process(new Record<unknown, WineRecord | null>(null, r, 100 + offset++));
    }
  };
  const results = () => ctx.forwarded().map((f) => f.record.value);
  return { calls, ctx, processor, send, results, stats: (dataType: string) => stats.get(dataType), close: () => cache.close() };
}

const tree = () => pmmlDescriptor(files.tree, 'wine', 'tree', '');
const linearPmml = (dataType: string) => pmmlDescriptor(files.linear, dataType, 'linear', '');

test('the records of a batch are scored in one scoreBatch call per dataType, and sent at flush in arrival order', async () => {
  const s = await setup([tree(), linearPmml('red')]);
  try {
    const red = wineRecords(3, 'red');
    const mixed = wineRecords(5).flatMap((w, i) => (red[i] ? [w, red[i]!] : [w]));
    await s.send(mixed);
    assert.is(s.results().length, 0, 'nothing is sent before the batch ends');
    await s.processor.flush?.();
    assert.equal(s.calls.batches, [{ dataType: 'wine', size: 5 }, { dataType: 'red', size: 3 }]);
    assert.is(s.calls.score, 0, 'no per-record call');
    const results = s.results();
    assert.equal(results.map((r) => [r.dataType, r.offset, r.partition, r.timestamp]), mixed.map((w, i) => [w.dataType, String(i), 2, 100 + i]));
    const expected = { wine: loadPmml(readFileSync(files.tree)), red: loadPmml(readFileSync(files.linear)) };
    const values = results.map((r) => (r.outcome.kind === 'scored' ? r.outcome.value : r.outcome.error));
    assert.equal(values, mixed.map((w) => expected[w.dataType as 'wine' | 'red'].score(w as never).value));
    await s.processor.flush?.();
    assert.is(s.calls.batches.length, 2, 'an empty batch scores nothing');
  } finally {
    s.close();
  }
});

test('a flush of more than 256 records scores them in sub-batches and lets the event loop run between them, sending every result in arrival order', async () => {
  const s = await setup([tree()], undefined, 8);
  try {
    const records = wineRecords(600);
    await s.send(records);
    let turns = 0;
    const counter = setInterval(() => { turns++; }, 0);
    let turnsDuringFlush = 0;
    try {
      const flushed = s.processor.flush?.();
      assert.ok(flushed instanceof Promise, 'a long flush returns before it is done');
      await flushed;
      turnsDuringFlush = turns;
    } finally {
      clearInterval(counter);
    }
    assert.equal(s.calls.batches.slice(-3).map((b) => b.size), [256, 256, 88]);
    assert.ok(turnsDuringFlush >= 1, 'a timer ran between two sub-batches');
    assert.equal(s.results().map((r) => r.offset), records.map((_, i) => String(i)));
    assert.is(s.stats('wine')!.invocations, 600);
  } finally {
    s.close();
  }
});

test('a model still compiling is awaited once: the first record waits, the batch is still scored in one call', async () => {
  const s = await setup([tree()]);
  try {
    await s.send(wineRecords(4));
    await s.processor.flush?.();
    assert.is(s.calls.loads, 1);
    assert.equal(s.calls.batches.map((b) => b.size), [4]);
  } finally {
    s.close();
  }
});

test('a buffer that reaches maxBatch is scored from process, before the batch ends', async () => {
  const s = await setup([tree()], 3);
  try {
    await s.send(wineRecords(4));
    assert.is(s.results().length, 3);
    await s.processor.flush?.();
    assert.equal(s.calls.batches.map((b) => b.size), [3, 1]);
    assert.equal(s.results().map((r) => r.offset), ['0', '1', '2', '3']);
  } finally {
    s.close();
  }
});

test('statistics count the scored records of a batch and give each record the batch time divided by its size', async () => {
  const s = await setup([tree()]);
  try {
    await s.send(wineRecords(6));
    await s.processor.flush?.();
    const stats = s.stats('wine')!;
    const [first] = s.results();
    assert.is(stats.invocations, 6);
    assert.ok(first!.durationMs > 0);
    assert.ok(s.results().every((r) => r.durationMs === first!.durationMs), 'one share for every record of the batch');
    assert.is(stats.min, first!.durationMs);
    assert.is(stats.max, first!.durationMs);
    assert.ok(Math.abs(stats.duration - 6 * first!.durationMs) < 1e-9);
  } finally {
    s.close();
  }
});

test('a record the model cannot score fails alone within its batch and is no invocation', async () => {
  const s = await setup([tree()]);
  try {
    const [a, b, c] = wineRecords(3);
    await s.send([a!, { ...b!, alcohol: 'x' as never }, c!]);
    await s.processor.flush?.();
    assert.equal(s.results().map((r) => r.outcome.kind), ['scored', 'failed', 'scored']);
    assert.equal(s.calls.batches.map((x) => x.size), [3]);
    assert.is(s.stats('wine')!.invocations, 2);
  } finally {
    s.close();
  }
});

test('records with no model are skipped and counted without waiting for the batch end', async () => {
  const s = await setup([]);
  try {
    await s.send(wineRecords(3));
    assert.is(s.stats('wine')!.skipped, 3);
    await s.processor.flush?.();
    assert.is(s.results().length, 0);
    assert.is(s.calls.batches.length, 0);
  } finally {
    s.close();
  }
});

test.run();
