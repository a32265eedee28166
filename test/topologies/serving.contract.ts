// One suite for the three serving topologies, run through the test driver: each
// test file calls `servingContract` with its topology; state persistence is the one difference.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExceptionHandler } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { loadPmml, loadTensorFlow } from '../../lib/models/index.ts';
import { ModelType, WINE_FEATURES, type ModelDescriptor, type ServingResult, type WineRecord } from '../../topologies/codecs/messages.ts';
import type { LocalServingTopology, ServingTopologyOptions } from '../../topologies/index.ts';
import { driverStores, files, pmmlDescriptor, serdes, tensorflowByLocation, wineRecords } from './fixtures.ts';

export interface ContractOptions {
  readonly build: (options?: ServingTopologyOptions) => LocalServingTopology;
  /** Whether models and statistics survive a restart over the same state directory. */
  readonly persistent: boolean;
}

interface Harness {
  readonly topology: LocalServingTopology;
  readonly driver: TopologyTestDriver;
  readonly logs: string[];
  readonly skippedPayloads: Error[];
  sendModel(descriptor: ModelDescriptor): Promise<void>;
  sendRecords(records: readonly WineRecord[]): Promise<void>;
  results(): ServingResult[];
  stats(dataType?: string): ReturnType<LocalServingTopology['localStats']>;
  close(): Promise<void>;
}

function harness(options: ContractOptions, stateDir?: string): Harness {
  const logs: string[] = [];
  const skippedPayloads: Error[] = [];
  const topology = options.build({ log: (m) => logs.push(m) });
  const onDeserializationError: ExceptionHandler = (error) => { skippedPayloads.push(error); return 'continue'; };
  const driver = new TopologyTestDriver(topology.topology, { applicationId: 'serving-test', onDeserializationError, ...(stateDir && { stateDir }) });
  const models = driver.createInputTopic(topology.topics.models, serdes.string, serdes.descriptor);
  const data = driver.createInputTopic(topology.topics.data, serdes.string, serdes.wine);
  const results = driver.createOutputTopic(topology.topics.results, serdes.string, serdes.result);
  return {
    topology, driver, logs, skippedPayloads,
    sendModel: (d) => models.pipeInput(d.dataType, d),
    async sendRecords(records) { for (const r of records) await data.pipeInput(null, r); },
    results: () => results.readRecordsToList().map((r) => r.value),
    stats: (dataType = 'wine') => topology.localStats(driverStores(driver), dataType),
    close: () => driver.close(),
  };
}

const demoOnnx = new URL('../../data/models/wine-onnx.onnx', import.meta.url);
const demoGraph = new URL('../../data/models/wine-tf.pb', import.meta.url);
const treePmml = () => pmmlDescriptor(files.tree, 'wine', 'tree', 'a decision tree (classification)');
const linearPmml = (dataType = 'wine') => pmmlDescriptor(files.linear, dataType, 'linear', 'a linear regression');

function values(results: readonly ServingResult[]): (number | string | null)[] {
  return results.map((r) => (r.outcome.kind === 'scored' ? r.outcome.value : `failed: ${r.outcome.error}`));
}

export function servingContract(kind: string, options: ContractOptions): void {
  const records = wineRecords(20);

  test(`${kind}: a PMML model sent by value scores every record as loadPmml does`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      await h.sendRecords(records);
      const expected = loadPmml(readFileSync(files.tree));
      const results = h.results();
      assert.equal(values(results), records.map((r) => expected.score(r as never).value));
      assert.ok(results.every((r) => r.modelName === 'tree' && r.dataType === 'wine'));
      assert.equal(results.map((r) => Number(r.offset)), records.map((_, i) => i), 'one result per record, with its offset');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a TensorFlow model sent by location scores every record as loadTensorFlow does`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(tensorflowByLocation('wine', 'tf', 'the wine graph'));
      await h.sendRecords(records);
      const expected = await loadTensorFlow(readFileSync(files.tensorflow), { features: WINE_FEATURES });
      assert.equal(values(h.results()), records.map((r) => expected.score(r as never).value));
      assert.is(h.stats()?.modelType, 'TENSORFLOW');
      expected.close();
    } finally {
      await h.close();
    }
  });

  test(`${kind}: an ONNX model sent by value scores every record in one batch as the demo TensorFlow graph does`, async () => {
    const h = harness(options);
    try {
      await h.sendModel({ name: 'onnx', description: 'the wine network', dataType: 'wine', modelType: ModelType.ONNX, data: readFileSync(demoOnnx) });
      await h.sendRecords(records);
      const graph = await loadTensorFlow(readFileSync(demoGraph), { features: WINE_FEATURES });
      const results = h.results();
      assert.equal(values(results), records.map((r) => graph.score(r as never).value));
      assert.ok(results.every((r) => r.modelName === 'onnx' && r.modelType === ModelType.ONNX));
      assert.is(h.stats()?.modelType, 'ONNX');
      assert.is(h.stats()?.invocations, records.length);
      graph.close();
    } finally {
      await h.close();
    }
  });

  test(`${kind}: records with no model are skipped and counted`, async () => {
    const h = harness(options);
    try {
      await h.sendRecords(records.slice(0, 3));
      assert.is(h.results().length, 0);
      const stats = h.stats();
      assert.is(stats?.name, 'None');
      assert.is(stats?.skipped, 3);
      assert.is(stats?.invocations, 0);
      assert.ok(h.logs.some((m) => m.includes('No model available')), 'the skip is logged');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a model that fails to load leaves the previous one serving, with the error in the stats`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      const { dataType, modelType } = linearPmml();
      await h.sendModel({ name: 'broken', description: 'not a model', dataType, modelType, data: new TextEncoder().encode('<PMML version="4.3"><Header/></PMML>') });
      await h.sendRecords(records.slice(0, 5));
      const results = h.results();
      assert.is(results.length, 5);
      assert.ok(results.every((r) => r.modelName === 'tree'), 'the previous model served');
      const stats = h.stats();
      assert.is(stats?.name, 'tree');
      assert.is(stats?.invocations, 5);
      assert.is(stats?.lastError?.name, 'ModelLoadError');
      assert.match(stats?.lastError?.message ?? '', /broken/);
      assert.ok(h.logs.some((m) => m.includes("'broken'") && m.includes('failed to load')), 'the failure is logged');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a model that fails to load with no model before it leaves the dataType unserved`, async () => {
    const h = harness(options);
    try {
      await h.sendModel({ name: 'missing', description: '', dataType: 'wine', modelType: ModelType.TENSORFLOW, location: join(tmpdir(), 'no-such-model.pb') });
      await h.sendRecords(records.slice(0, 2));
      assert.is(h.results().length, 0);
      const stats = h.stats();
      assert.is(stats?.name, 'None');
      assert.is(stats?.skipped, 2);
      assert.is(stats?.lastError?.name, 'ModelLoadError');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a corrupt data record is skipped by the handler and the next one is scored`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      const raw = h.driver.createInputTopic(h.topology.topics.data, serdes.bytes, serdes.bytes);
      await raw.pipeInput(null, new Uint8Array([0x0a, 0xff, 0xff, 0xff]));
      await h.sendRecords(records.slice(0, 1));
      assert.is(h.skippedPayloads.length, 1);
      assert.is(h.driver.metrics().skippedDeserialization, 1);
      const results = h.results();
      assert.is(results.length, 1);
      assert.is(results[0]!.offset, '1', 'the record after the corrupt one');
      assert.is(results[0]!.outcome.kind, 'scored');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a record the model cannot score gets a failed result and does not count as an invocation`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(tensorflowByLocation('wine', 'tf', 'the wine graph'));
      await h.sendRecords([{ ...records[0]!, alcohol: Number.NaN }, records[1]!]);
      const [bad, good] = h.results();
      assert.is(bad?.outcome.kind, 'failed');
      assert.is(good?.outcome.kind, 'scored');
      assert.is(h.stats()?.invocations, 1);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: two dataTypes are served at once, each by its own model`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      await h.sendModel(linearPmml('red'));
      const red = wineRecords(6, 'red');
      const mixed = records.slice(0, 6).flatMap((w, i) => [w, red[i]!]);
      await h.sendRecords(mixed);
      const tree = loadPmml(readFileSync(files.tree));
      const linear = loadPmml(readFileSync(files.linear));
      const results = h.results();
      assert.equal(results.map((r) => `${r.dataType}:${r.modelName}`), mixed.map((w) => (w.dataType === 'wine' ? 'wine:tree' : 'red:linear')));
      assert.equal(values(results), mixed.map((w) => (w.dataType === 'wine' ? tree : linear).score(w as never).value));
      assert.is(h.stats('wine')?.invocations, 6);
      assert.is(h.stats('red')?.invocations, 6);
      assert.equal(h.topology.localDataTypes(driverStores(h.driver)), ['red', 'wine']);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: statistics name the model and time every scoring`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      await h.sendRecords(records);
      const results = h.results();
      const stats = h.stats()!;
      assert.is(stats.name, 'tree');
      assert.is(stats.description, 'a decision tree (classification)');
      assert.is(stats.dataType, 'wine');
      assert.is(stats.modelType, 'PMML');
      assert.ok(stats.since > 0);
      assert.is(stats.invocations, records.length);
      assert.ok(stats.min > 0, `min ${stats.min} > 0`);
      assert.ok(stats.max >= stats.min);
      const durations = results.map((r) => r.durationMs);
      assert.is(stats.min, Math.min(...durations));
      assert.is(stats.max, Math.max(...durations));
      assert.ok(Math.abs(stats.duration - durations.reduce((a, b) => a + b, 0)) < 1e-9);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a new model restarts the statistics`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      await h.sendRecords(records.slice(0, 4));
      await h.sendModel(linearPmml());
      assert.is(h.stats()?.invocations, 0, 'reset as soon as the new model serves');
      await h.sendRecords(records.slice(0, 2));
      const stats = h.stats();
      assert.is(stats?.name, 'linear');
      assert.is(stats?.invocations, 2);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a tombstone on the models topic withdraws the dataType's model`, async () => {
    const h = harness(options);
    try {
      await h.sendModel(treePmml());
      await h.driver.createInputTopic(h.topology.topics.models, serdes.string, serdes.bytes).pipeInput('wine', null);
      await h.sendRecords(records.slice(0, 2));
      assert.is(h.results().length, 0);
      assert.is(h.stats()?.skipped, 2);
    } finally {
      await h.close();
    }
  });

  if (options.persistent) {
    test(`${kind}: a restored model that no longer loads here is reported and its records skipped`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), `serving-${kind}-`));
      const graph = join(stateDir, 'graph.pb');
      copyFileSync(files.tensorflow, graph);
      try {
        const first = harness(options, stateDir);
        await first.sendModel(tensorflowByLocation('wine', 'tf', '', graph));
        await first.sendRecords(records.slice(0, 1));
        assert.is(first.results().length, 1);
        await first.close();
        rmSync(graph);
        const second = harness(options, stateDir);
        try {
          await second.sendRecords(records.slice(1, 3));
          assert.is(second.results().length, 0);
          const stats = second.stats();
          assert.is(stats?.name, 'tf', 'still the current model');
          assert.is(stats?.skipped, 2);
          assert.is(stats?.lastError?.name, 'ModelLoadError');
        } finally {
          await second.close();
        }
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }

  test(`${kind}: ${options.persistent ? 'models and statistics survive a restart' : 'a restart forgets models and statistics'} over the same state directory`, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), `serving-${kind}-`));
    try {
      const first = harness(options, stateDir);
      await first.sendModel(treePmml());
      await first.sendRecords(records.slice(0, 3));
      await first.close();
      const second = harness(options, stateDir);
      try {
        await second.sendRecords(records.slice(3, 4));
        const stats = second.stats();
        if (options.persistent) {
          assert.equal(second.results().map((r) => r.modelName), ['tree']);
          assert.is(stats?.name, 'tree');
          assert.is(stats?.description, 'a decision tree (classification)');
          assert.is(stats?.invocations, 4);
        } else {
          assert.is(second.results().length, 0);
          assert.is(stats?.name, 'None');
          assert.is(stats?.skipped, 1);
        }
      } finally {
        await second.close();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
}
