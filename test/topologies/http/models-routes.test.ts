// GET /models, GET /state/{dataType} and POST /models/{dataType}/rollback on the serving routes,
// through hono's app.request over a serving topology run by the test driver.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KafkaStreams } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import { encodeModelCommand, encodeModelDescriptor, ModelType, type ModelCommand, type ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { buildServingTopology, type ModelsView } from '../../../topologies/index.ts';
import { servingRoutes } from '../../../topologies/http/routes.ts';
import { shadowsIdle } from '../../../topologies/serving/shadow-scorer.ts';
import { driverStores, files, pmmlDescriptor, serdes, wineRecords } from '../fixtures.ts';

function setup() {
  const serving = buildServingTopology('naive', { log: () => {} });
  const driver = new TopologyTestDriver(serving.topology, { applicationId: 'models-routes' });
  const models = driver.createInputTopic(serving.topics.models, serdes.string, serdes.bytes);
  const data = driver.createInputTopic(serving.topics.data, serdes.string, serdes.wine);
  const sent: ModelCommand[] = [];
  // The command goes where a real server's producer would send it: the models topic.
  const commands = async (c: ModelCommand) => { sent.push(c); await models.pipeInput(c.dataType, encodeModelCommand(c)); };
  const app = servingRoutes({
    target: () => ({ streams: driverStores(driver) as unknown as KafkaStreams, serving }),
    self: () => ({ host: '127.0.0.1', port: 1 }), commands,
  });
  return {
    app, sent,
    send: (d: ModelDescriptor) => models.pipeInput(d.dataType, encodeModelDescriptor(d)),
    records: async (n: number) => {
      for (const r of wineRecords(n)) await data.pipeInput(null, r);
      // Shadows score on their own thread: wait for it, then let the punctuator count them.
      await shadowsIdle();
      await driver.advanceWallClockTime(100);
    },
    close: () => driver.close(),
  };
}

const tree = pmmlDescriptor(files.tree, 'wine', 'tree-v1', 'first');
const linear = pmmlDescriptor(files.linear, 'wine', 'linear-v2', 'second');
const onnx: ModelDescriptor = { name: 'onnx', description: 'shadow', dataType: 'wine', modelType: ModelType.ONNX, role: 'shadow', data: readFileSync(new URL('../../../data/models/wine-onnx.onnx', import.meta.url)) };

test('GET /models lists each dataType with its champion, roles and history with each version\'s counts', async () => {
  const h = setup();
  try {
    await h.send(tree);
    await h.records(3);
    await h.send(linear);
    await h.send(onnx);
    await h.records(2);
    const body = await (await h.app.request('/models')).json() as { dataTypes: ModelsView[] };
    assert.is(body.dataTypes.length, 1);
    const wine = body.dataTypes[0]!;
    assert.equal([wine.current.name, wine.current.invocations], ['linear-v2', 2]);
    assert.equal(wine.current.roles?.map((r) => [r.name, r.role, r.compared]), [['onnx', 'shadow', 2]]);
    assert.equal(wine.history.map((v) => [v.name, v.end, v.invocations]), [['tree-v1', 'replaced', 3]]);
    assert.is(wine.canRollBack, true);
  } finally {
    await h.close();
  }
});

test('GET /state/{dataType} answers that dataType, and 404 for one with no model', async () => {
  const h = setup();
  try {
    await h.send(tree);
    const view = await (await h.app.request('/state/wine')).json() as ModelsView;
    assert.equal([view.dataType, view.current.name, view.history.length], ['wine', 'tree-v1', 0]);
    assert.is((await h.app.request('/state/beer')).status, 404);
    assert.is((await h.app.request('/state/value')).status, 200, '/state/value keeps its meaning');
  } finally {
    await h.close();
  }
});

test('POST /models/{dataType}/rollback publishes a rollback and the previous version serves again', async () => {
  const h = setup();
  try {
    await h.send(tree);
    await h.send(linear);
    const answer = await h.app.request('/models/wine/rollback', { method: 'POST' });
    assert.is(answer.status, 202);
    assert.equal(h.sent, [{ command: 'rollback', dataType: 'wine', name: '' }]);
    const view = await (await h.app.request('/state/wine')).json() as ModelsView;
    assert.is(view.current.name, 'tree-v1');
    assert.equal(view.history.map((v) => [v.name, v.end]), [['linear-v2', 'rolled-back']]);
    assert.is((await h.app.request('/models/wine/rollback', { method: 'POST' })).status, 409, 'nothing left to roll back to');
  } finally {
    await h.close();
  }
});

test('a version that failed to load shows in the history with its error', async () => {
  const h = setup();
  try {
    await h.send(tree);
    await h.send({ name: 'broken', description: '', dataType: 'wine', modelType: ModelType.PMML, data: new TextEncoder().encode('<PMML') });
    const view = await (await h.app.request('/state/wine')).json() as ModelsView;
    assert.is(view.current.name, 'tree-v1');
    assert.equal(view.history.map((v) => [v.name, v.end, v.loadError?.name]), [['broken', 'failed', 'ModelLoadError']]);
    assert.is(view.canRollBack, false);
  } finally {
    await h.close();
  }
});

test.run();
