// Two kv serving instances on a broker: a champion with a shadow challenger answers every record
// once (and the shadow scores each once, on its own topic), then a rollback asked of one
// instance's HTTP server restores the previous champion on both.
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startServingInstance, type ServingInstance } from '../../topologies/cli/serve.ts';
import { ModelType, type ModelDescriptor } from '../../topologies/codecs/messages.ts';
import type { ModelsView } from '../../topologies/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { waitFor } from '../runtime/fixtures.ts';
import { files, pmmlDescriptor, serdes, wineRecords } from '../topologies/fixtures.ts';

const RECORDS = 20;

forEachBroker('test/integration/roles.kafka.test.ts', (test, brokers) => {
  test('kv, two instances: every record answered once with a shadow beside; a rollback via one instance\'s HTTP switches both', async () => {
    const topics = { data: uniqueName('roles-data'), models: uniqueName('roles-models'), results: uniqueName('roles-results'), shadow: uniqueName('roles-shadow') };
    const applicationId = uniqueName('roles-kv');
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-roles-'));
    const kafka = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    const admin = kafka.admin();
    const instances: ServingInstance[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        instances.push(await startServingInstance({
          brokers: brokers(), kind: 'kv', host: '127.0.0.1', port: 0, partitions: 2, topics, applicationId,
          stateDir: join(stateDir, String(i)), log: () => {},
        }));
      }
      const [a, b] = instances as [ServingInstance, ServingInstance];
      await producer.connect();
      await admin.connect();
      const sendModel = (d: ModelDescriptor) => producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(serdes.descriptor.serialize(d)) }] });
      const view = async (i: ServingInstance) => (await fetch(`${i.server.url}/state/wine`)).json() as Promise<ModelsView>;
      await sendModel(pmmlDescriptor(files.tree, 'wine', 'tree-v1', ''));
      await sendModel(pmmlDescriptor(files.linear, 'wine', 'linear-v2', ''));
      await sendModel({ name: 'onnx', description: '', dataType: 'wine', modelType: ModelType.ONNX, role: 'shadow', data: readFileSync(new URL('../../data/models/wine-onnx.onnx', import.meta.url)) });
      await waitFor('both instances have the champion and its shadow', async () => {
        const views = await Promise.all(instances.map(view));
        return views.every((v) => v.current?.name === 'linear-v2' && v.current.roles?.[0]?.name === 'onnx');
      }, 30_000);
      // A shadow never waits for its compile: a batch that comes first is skipped by it, and counted.
      await producer.send({ topic: topics.data, acks: -1, messages: wineRecords(RECORDS).map((w, i) => ({ key: `k${i}`, value: Buffer.from(serdes.wine.serialize(w)) })) });
      const total = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
      await waitFor('every record answered', async () => (await total(topics.results)) >= RECORDS, 60_000);
      await waitFor('the shadow saw every record (scored or skipped)', async () => {
        const views = await Promise.all(instances.map(view));
        const seen = views.reduce((n, v) => n + (v.current.roles?.[0]?.compared ?? 0) + (v.current.roles?.[0]?.skipped ?? 0), 0);
        return seen === RECORDS;
      }, 30_000);
      const views = await Promise.all(instances.map(view));
      const compared = views.reduce((n, v) => n + (v.current.roles?.[0]?.compared ?? 0), 0);
      assert.is(await total(topics.results), RECORDS, 'exactly one answer per record');
      // A shadow result is counted when it comes back and produced at the next commit: it may trail the count.
      await waitFor('the shadow results produced', async () => (await total(topics.shadow)) >= compared, 15_000).catch(() => {});
      assert.is(await total(topics.shadow), compared, 'one shadow result per record the shadow scored');
      assert.is(views.reduce((n, v) => n + v.current.invocations, 0), RECORDS, 'the champion answered them all');

      const answer = await fetch(`${a.server.url}/models/wine/rollback`, { method: 'POST' });
      assert.is(answer.status, 202);
      await waitFor('both instances serve tree-v1 again', async () => (await Promise.all([a, b].map(view))).every((v) => v.current.name === 'tree-v1'), 30_000);
      const after = await view(b);
      assert.equal(after.history.map((h) => [h.name, h.end]), [['linear-v2', 'rolled-back']]);
    } finally {
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
      for (const i of instances) await i.stop().catch(() => {});
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
