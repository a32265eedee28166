// kv and custom are written in the DSL (the models as a global table, the data stream joined with
// it and scored, then sent to the results topics); naive stays in the Processor API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import { buildServingTopology, type TopologyKind } from '../../../topologies/index.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';

/** Each node of a describe() as "Kind: name" with its children. */
function nodes(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const node = /^\s+(Source|Processor|Sink): (\S+)/.exec(line);
    if (node) { current = `${node[1]}: ${node[2]}`; out.set(current, []); continue; }
    const children = /^\s+--> (.+)$/.exec(line);
    if (children && current && children[1] !== 'none') out.get(current)!.push(...children[1]!.split(', '));
  }
  return out;
}

for (const kind of ['kv', 'custom'] as const satisfies readonly TopologyKind[]) {
  test(`${kind}: the data stream is split from bad input, left-joined with the models global table, scored and sent to both sinks`, () => {
    const text = buildServingTopology(kind, { log: () => {} }).topology.describe();
    const graph = nodes(text);
    assert.match(text, new RegExp(`Global store: ${kind}-models\\n\\s+Source: ${kind}-models-global-source \\(topics: \\[models_models\\]\\)`));
    assert.equal(graph.get('Source: data'), ['input-']);
    assert.equal(graph.get('Processor: input-'), ['input-bad', 'input-wine']);
    assert.equal(graph.get('Processor: input-bad'), ['bad-input']);
    assert.equal(graph.get('Processor: input-wine'), ['models-join']);
    assert.equal(graph.get('Processor: models-join'), ['score']);
    assert.equal(graph.get('Processor: score'), ['results', 'shadow-results']);
    assert.match(text, /Sink: results \(topic: models_results\)/);
    assert.match(text, /Sink: shadow-results \(topic: models_shadow\)/);
    assert.match(text, new RegExp(`Processor: score \\(stores: \\[${kind}-stats\\]\\)`));
    assert.match(text, new RegExp(`Processor: bad-input \\(stores: \\[${kind}-stats\\]\\)`));
  });
}

test('kv: a tombstone takes the bad-input branch and a record of a dataType with no model the left join, so the join drops nothing', async () => {
  const serving = buildServingTopology('kv', { log: () => {} });
  const driver = new TopologyTestDriver(serving.topology, { applicationId: 'dsl-serving' });
  try {
    await driver.createInputTopic(serving.topics.models, serdes.string, serdes.descriptor).pipeInput('wine', pmmlDescriptor(files.tree, 'wine', 'tree', ''));
    const data = driver.createInputTopic(serving.topics.data, serdes.string, serdes.wine);
    const [a, b] = wineRecords(2);
    await data.pipeInput(null, a!);
    await data.pipeInput(null, null);
    await data.pipeInput(null, { ...b!, dataType: 'red' });
    assert.is(driver.metrics().droppedRecords, 0);
    assert.is(serving.localBadInput(driverStores(driver))['null-value'], 1);
    assert.is(serving.localStats(driverStores(driver), 'red')?.skipped, 1);
    assert.is(serving.localStats(driverStores(driver), 'wine')?.invocations, 1);
    assert.equal(driver.createOutputTopic(serving.topics.results, serdes.string, serdes.result).readRecordsToList().map((r) => r.key), ['wine']);
  } finally {
    await driver.close();
    serving.models.close();
  }
});

test('naive: the Processor API topology, the data source feeding the scoring processor directly', () => {
  const graph = nodes(buildServingTopology('naive', { log: () => {} }).topology.describe());
  assert.equal(graph.get('Source: data'), ['score']);
  assert.equal(graph.get('Processor: score'), ['results', 'shadow-results']);
  assert.not.ok(graph.has('Processor: models-join'));
});

test.run();
