// Several models per dataType, through the test driver, for each serving topology: a champion
// with shadow challengers (their results on the shadow topic, agreement beside the champion's
// statistics), a weighted split by record key, roles changed live, shadows that throw or are slow.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TopologyTestDriver } from '../../lib/testing/index.ts';
import { encodeModelCommand, ModelType, type ModelDescriptor, type ServingResult, type WineRecord } from '../../topologies/codecs/messages.ts';
import type { LocalServingTopology, ServingTopologyOptions } from '../../topologies/index.ts';
import { shadowsIdle } from '../../topologies/serving/shadow-scorer.ts';
import { loadModel, ODD_MODELS } from './serving/odd-models.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from './fixtures.ts';

export type Build = (options?: ServingTopologyOptions) => LocalServingTopology;

const onnx = (extra: Partial<ModelDescriptor> = {}): ModelDescriptor => ({
  name: 'onnx', description: 'the wine network', dataType: 'wine', modelType: ModelType.ONNX,
  data: readFileSync(new URL('../../data/models/wine-onnx.onnx', import.meta.url)), ...extra,
} as ModelDescriptor);
const tree = () => pmmlDescriptor(files.tree, 'wine', 'tree', 'a decision tree');

function harness(build: Build) {
  const topology = build({ log: () => {}, loadModel, shadow: { budgetMs: 15, pauseMs: 60_000, loaderModule: ODD_MODELS } });
  const driver = new TopologyTestDriver(topology.topology, { applicationId: 'roles-test' });
  const models = driver.createInputTopic(topology.topics.models, serdes.string, serdes.descriptor);
  const commands = driver.createInputTopic(topology.topics.models, serdes.string, serdes.bytes);
  const data = driver.createInputTopic(topology.topics.data, serdes.string, serdes.wine);
  const results = driver.createOutputTopic(topology.topics.results, serdes.string, serdes.result);
  const shadow = driver.createOutputTopic(topology.topics.shadow!, serdes.string, serdes.result);
  return {
    send: (d: ModelDescriptor) => models.pipeInput(d.dataType, d),
    retire: (name: string) => commands.pipeInput('wine', encodeModelCommand({ command: 'retire', dataType: 'wine', name })),
    async records(rs: readonly WineRecord[], key?: (i: number) => string) {
      for (let i = 0; i < rs.length; i++) await data.pipeInput(key ? key(i) : null, rs[i]!);
    },
    /** Waits for the shadow thread's replies, then lets the punctuator forward them. */
    async settle() {
      await shadowsIdle();
      await driver.advanceWallClockTime(100);
    },
    results: (): ServingResult[] => results.readRecordsToList().map((r) => r.value),
    shadowResults: (): ServingResult[] => shadow.readRecordsToList().map((r) => r.value),
    stats: () => topology.localStats(driverStores(driver), 'wine'),
    close: () => driver.close(),
  };
}

const value = (r: ServingResult) => (r.outcome.kind === 'scored' ? r.outcome.value : `failed: ${r.outcome.error}`);

export function rolesContract(kind: string, build: Build): void {
  const records = wineRecords(12);

  test(`${kind}: a shadow scores every record the champion answers, on the shadow topic, with agreement counted`, async () => {
    const h = harness(build);
    try {
      await h.send(tree());
      await h.send(onnx({ role: 'shadow' }));
      await h.records(records);
      await h.settle();
      const answers = h.results(), shadowed = h.shadowResults();
      assert.is(answers.length, records.length, 'one answer per record');
      assert.ok(answers.every((r) => r.modelName === 'tree'), 'the champion answers');
      assert.is(shadowed.length, records.length);
      assert.ok(shadowed.every((r) => r.modelName === 'onnx' && r.modelType === ModelType.ONNX));
      const agreed = answers.filter((r, i) => value(r) === value(shadowed[i]!)).length;
      const role = h.stats()?.roles?.[0];
      assert.equal({ name: role?.name, role: role?.role, compared: role?.compared, agreed: role?.agreed, invocations: role?.invocations },
        { name: 'onnx', role: 'shadow', compared: records.length, agreed, invocations: records.length });
      assert.is(h.stats()?.invocations, records.length, 'the champion\'s own counts are unchanged');
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a shadow that throws changes none of the champion's answers`, async () => {
    const h = harness(build);
    try {
      await h.send(tree());
      await h.records(records.slice(0, 6));
      const before = h.results().map(value);
      await h.send(onnx({ name: 'throws', role: 'shadow' }));
      await h.records(records.slice(0, 6));
      await h.settle();
      assert.equal(h.results().map(value), before);
      assert.is(h.shadowResults().length, 0);
      assert.is(h.stats()?.roles?.[0]?.errors, 6);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a slow shadow is paused after its first slow batch while every record is answered`, async () => {
    const h = harness(build);
    try {
      await h.send(tree());
      await h.send(onnx({ name: 'slow', role: 'shadow' }));
      await h.records(records.slice(0, 1));
      await h.settle();
      await h.records(records.slice(1, 6));
      await h.settle();
      assert.is(h.results().length, 6);
      assert.is(h.shadowResults().length, 1, 'scored once, then paused');
      const role = h.stats()?.roles?.[0];
      assert.equal([role?.invocations, role?.skipped], [1, 5]);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: a weighted split answers each key with one model, the same for the same key, each result naming it`, async () => {
    const h = harness(build);
    try {
      await h.send({ ...tree(), weight: 1 });
      await h.send(onnx({ role: 'split', weight: 1 }));
      const keys = (i: number) => `customer-${i % 20}`;
      const many = wineRecords(40);
      await h.records(many, keys);
      const answers = h.results();
      assert.is(answers.length, 40, 'one answer per record');
      const byKey = new Map<string, Set<string>>();
      answers.forEach((r, i) => byKey.set(keys(i), (byKey.get(keys(i)) ?? new Set()).add(r.modelName)));
      assert.ok([...byKey.values()].every((s) => s.size === 1), 'a key always goes to the same model');
      const names = new Set(answers.map((r) => r.modelName));
      assert.equal([...names].sort(), ['onnx', 'tree'], 'both models answer some keys');
      const split = h.stats()?.roles?.find((r) => r.name === 'onnx');
      assert.is((split?.invocations ?? 0) + (h.stats()?.invocations ?? 0), 40);
    } finally {
      await h.close();
    }
  });

  test(`${kind}: roles change live: a shadow promoted to champion answers, a retired shadow stops`, async () => {
    const h = harness(build);
    try {
      await h.send(tree());
      await h.send(onnx({ role: 'shadow' }));
      await h.records(records.slice(0, 2));
      await h.settle();
      await h.retire('onnx');
      await h.records(records.slice(0, 2));
      await h.settle();
      assert.is(h.shadowResults().length, 2, 'only the records before the retirement');
      await h.send(onnx());
      await h.records(records.slice(0, 2));
      assert.equal(h.results().map((r) => r.modelName), ['tree', 'tree', 'tree', 'tree', 'onnx', 'onnx']);
      assert.is(h.stats()?.roles, undefined, 'no model beside the champion');
    } finally {
      await h.close();
    }
  });
}
