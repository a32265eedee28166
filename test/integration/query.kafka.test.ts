// The query layer over two kv serving instances (as `serve` starts them) on real Kafka: any
// instance answers for all, and the statistics add up to every record sent by the provider.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProvider } from '../../topologies/client/provider.ts';
import { readWineCsv } from '../../topologies/client/sources.ts';
import type { AllInstanceStats, InstanceInfo } from '../../topologies/http/api.ts';
import { startServingInstance, type ServingInstance } from '../../topologies/cli/serve.ts';
import { kafkaBrokers, needs, realKafka } from '../requirements.ts';
import { uniqueName } from '../kafka/brokers.ts';

const it = needs(realKafka);
const brokers = kafkaBrokers();
const RECORDS = 120;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

it('two serving instances: /state/instance lists both, /state/values from either adds up to every record', async () => {
  const topics = { data: uniqueName('query-data'), models: uniqueName('query-models'), results: uniqueName('query-results') };
  const applicationId = uniqueName('query-kv');
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-query-kafka-'));
  const instances: ServingInstance[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      instances.push(await startServingInstance({
        brokers, kind: 'kv', host: '127.0.0.1', port: 0, partitions: 4, topics, applicationId,
        stateDir: join(stateDir, String(i)), log: () => {},
      }));
    }
    const [a, b] = instances as [ServingInstance, ServingInstance];
    await waitFor('both instances listed with 2 partitions each', async () => {
      const listed = await json<InstanceInfo[]>(`${a.server.url}/state/instance`);
      return listed.length === 2 && listed.every((i) => i.partitions.filter((p) => p.startsWith(topics.data)).length === 2);
    });
    // Every instance answers for the whole application, once its view has caught up.
    await waitFor('b listing both instances too', async () => (await json<InstanceInfo[]>(`${b.server.url}/state/instance`)).length === 2);
    const listed = await json<InstanceInfo[]>(`${b.server.url}/state/instance`);
    assert.equal(listed.map((i) => i.port).sort(), [a.server.port, b.server.port].sort());
    assert.equal(listed.flatMap((i) => i.partitions.filter((p) => p.startsWith(topics.data))).sort(), [0, 1, 2, 3].map((p) => `${topics.data}-${p}`));

    // The model first, until both serve it (a record that comes before is skipped, by design).
    const send = async (plan: Omit<Parameters<typeof startProvider>[0], 'brokers' | 'log'>) => {
      const provider = await startProvider({ brokers, log: () => {}, ...plan });
      await provider.done;
      await provider.stop();
    };
    await send({ models: { topic: topics.models, files: ['data/models/wine-tree-classification.pmml'], loop: false } });
    await waitFor('the model served by both instances', async () => {
      const all = await json<AllInstanceStats>(`${a.server.url}/state/values`);
      return all.instances.length === 2 && all.instances.every((i) => i.status === 'ok' && i.stats.name === 'wine-tree-classification');
    });
    await send({ records: { topic: topics.data, records: readWineCsv('data/wine.csv'), ratePerSecond: 1000, limit: RECORDS } });

    const total = (all: AllInstanceStats) => all.instances.reduce((n, i) => n + (i.status === 'ok' ? i.stats.invocations : 0), 0);
    await waitFor(`${RECORDS} records scored in all`, async () => total(await json<AllInstanceStats>(`${a.server.url}/state/values`)) >= RECORDS);
    const fromB = await json<AllInstanceStats>(`${b.server.url}/state/values`);
    assert.is(total(fromB), RECORDS);
    assert.equal(fromB.instances.map((i) => i.status), ['ok', 'ok']);
    for (const i of fromB.instances) if (i.status === 'ok') assert.is(i.stats.name, 'wine-tree-classification');
    assert.ok(fromB.instances.every((i) => i.status === 'ok' && i.stats.invocations > 0), 'both instances scored records');
  } finally {
    for (const i of instances) await i.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
