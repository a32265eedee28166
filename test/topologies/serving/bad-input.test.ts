// Bad input to the serving topologies, through the test driver: a dataType too long or with a
// control character, and a null value, are skipped and counted by reason; none becomes a store
// key or a dataType the query layer would label; the valid records around them are served.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import type { ModelDescriptor, WineRecord } from '../../../topologies/codecs/messages.ts';
import { buildServingTopology, type LocalServingTopology, type TopologyKind } from '../../../topologies/index.ts';
import { MAX_DATA_TYPE_BYTES, dataTypeProblem } from '../../../topologies/serving/bad-input.ts';
import { BAD_INPUT_KEY } from '../../../topologies/serving/stats.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';

function harness(kind: TopologyKind) {
  const logs: string[] = [];
  const topology: LocalServingTopology = buildServingTopology(kind, { log: (m) => logs.push(m) });
  const driver = new TopologyTestDriver(topology.topology, { applicationId: `bad-input-${kind}` });
  const models = driver.createInputTopic(topology.topics.models, serdes.string, serdes.descriptor);
  const data = driver.createInputTopic(topology.topics.data, serdes.string, serdes.wine);
  const results = driver.createOutputTopic(topology.topics.results, serdes.string, serdes.result);
  const storeKeys = () => [topology.stores.models, topology.stores.stats].flatMap((name) =>
    [...driver.getKeyValueStore<string, unknown>(name).all()].map((e) => e.key));
  return {
    topology, driver, logs, models, data, storeKeys,
    results: () => results.readRecordsToList(),
    badInput: () => topology.localBadInput(driverStores(driver)),
    dataTypes: () => topology.localDataTypes(driverStores(driver)),
  };
}

const tree = (dataType = 'wine'): ModelDescriptor => pmmlDescriptor(files.tree, dataType, 'tree', '');
const withType = (w: WineRecord, dataType: string): WineRecord => ({ ...w, dataType });
const LONG = 'x'.repeat(300);
const CONTROL = 'wine\u0007';

test('a dataType is at most 256 bytes of UTF-8 with no control character', () => {
  assert.is(dataTypeProblem('a'.repeat(MAX_DATA_TYPE_BYTES)), undefined);
  assert.match(dataTypeProblem('a'.repeat(MAX_DATA_TYPE_BYTES + 1)) ?? '', /257 bytes/);
  assert.match(dataTypeProblem('é'.repeat(129)) ?? '', /258 bytes/, 'bytes, not characters');
  for (const c of ['\u0000', '\t', '\n', '\u001b', '\u007f', '\u0085']) assert.ok(dataTypeProblem(`w${c}`), `U+${c.charCodeAt(0).toString(16)}`);
  assert.is(dataTypeProblem('vin rouge – 🍷'), undefined, 'other non-ASCII text is fine');
});

for (const kind of ['naive', 'kv', 'custom'] as const) {
  test(`${kind}: a 300-byte dataType, a control character and a null value are skipped by reason; the records around them are served`, async () => {
    const h = harness(kind);
    try {
      await h.models.pipeInput('wine', tree());
      const [a, b, c, d] = wineRecords(4);
      await h.data.pipeInput(null, a!);
      await h.data.pipeInput(null, withType(b!, LONG));
      await h.data.pipeInput(null, null);
      await h.data.pipeInput(null, withType(c!, CONTROL));
      await h.data.pipeInput(null, d!);
      const results = h.results();
      assert.equal(results.map((r) => [r.key, r.value.offset, r.value.outcome.kind]), [['wine', '0', 'scored'], ['wine', '4', 'scored']]);
      assert.equal(h.badInput(), { 'invalid-data-type': 2, 'null-value': 1, 'invalid-model-data-type': 0 });
      assert.equal(h.dataTypes(), ['wine'], 'no bad dataType is listed (the /metrics labels come from here)');
      assert.equal(h.storeKeys().filter((k) => k !== BAD_INPUT_KEY).sort(), ['wine', 'wine'], 'no bad dataType is a store key');
      assert.is(h.topology.localStats(driverStores(h.driver), LONG), undefined);
      assert.is(h.topology.localStats(driverStores(h.driver), 'wine')?.invocations, 2);
    } finally {
      await h.driver.close();
    }
  });
}

test('bad records are logged with a short preview, the first of each reason only', async () => {
  const h = harness('naive');
  try {
    await h.models.pipeInput('wine', tree());
    const [w] = wineRecords(1);
    for (let i = 0; i < 3; i++) await h.data.pipeInput(null, withType(w!, `${LONG}${i}`));
    await h.data.pipeInput(null, null);
    await h.data.pipeInput(null, null);
    const skips = h.logs.filter((m) => m.startsWith('skipping a record'));
    assert.is(skips.length, 2, skips.join('\n'));
    assert.match(skips[0]!, /models_data-0 offset 0\): its dataType "x{32}"… is 301 bytes long \(at most 256/);
    assert.match(skips[0]!, /\[invalid-data-type: 1 so far in task 0_0\]/);
    assert.match(skips[1]!, /null value .*\[null-value: 1 so far/);
    assert.ok(h.logs.every((m) => m.length < 400), 'no log line carries the whole dataType');
    assert.equal(h.badInput(), { 'invalid-data-type': 3, 'null-value': 2, 'invalid-model-data-type': 0 });
  } finally {
    await h.driver.close();
  }
});

test('a model whose dataType (or key, when it names none) is bad is refused visibly; the current model keeps serving', async () => {
  const h = harness('kv');
  try {
    await h.models.pipeInput('wine', tree());
    await h.models.pipeInput('wine', tree(LONG));
    await h.models.pipeInput(CONTROL, tree(''));
    await h.models.pipeInput(LONG, null);
    const refusals = h.logs.filter((m) => m.startsWith('refusing'));
    assert.is(refusals.length, 1, 'logged the first time');
    assert.match(refusals[0]!, /^refusing model "tree": its dataType "x{32}"… is 300 bytes long .*the current models keep serving/);
    assert.equal(h.badInput()['invalid-model-data-type'], 3);
    assert.equal(h.storeKeys().filter((k) => k !== BAD_INPUT_KEY), ['wine'], 'only the good model is stored');
    await h.data.pipeInput(null, wineRecords(1)[0]!);
    assert.equal(h.results().map((r) => [r.key, r.value.modelName]), [['wine', 'tree']]);
  } finally {
    await h.driver.close();
  }
});

test('the bad-input counts of kv survive a restart over the same state directory (they live in the stats store)', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-bad-input-'));
  const sendNull = async () => {
    const topology = buildServingTopology('kv', { log: () => {} });
    const driver = new TopologyTestDriver(topology.topology, { applicationId: 'bad-input-restart', stateDir });
    try {
      await driver.createInputTopic(topology.topics.data, serdes.string, serdes.wine).pipeInput(null, null);
      return topology.localBadInput(driverStores(driver))['null-value'];
    } finally {
      await driver.close();
    }
  };
  try {
    assert.is(await sendNull(), 1);
    assert.is(await sendNull(), 2);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
