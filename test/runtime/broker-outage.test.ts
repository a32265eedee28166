import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamsState } from '../../lib/index.ts';
import { startBroker } from '../../lib/broker/index.ts';
import { countTopology, createTopics, newInstance, produceKeys, waitFor } from './fixtures.ts';

// Needs a broker this test can stop and start again on the same port: the embedded one.
test('the application rides out a broker outage and resumes with exact counts when it returns', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'modelstream-outage-'));
  let broker = await startBroker({ port: 0, dataDir });
  const port = broker.port;
  const brokers = broker.brokers;
  await createTopics(brokers, [{ topic: 'outage-in', numPartitions: 2 }, { topic: 'outage-out', numPartitions: 2 }]);
  const app = newInstance(countTopology('outage-in', 'outage-out'), { applicationId: 'outage-app', brokers });
  const states: StreamsState[] = [];
  app.onStateChange((next) => states.push(next));
  try {
    await app.start();
    await produceKeys(brokers, 'outage-in', 10, 10);
    await waitFor('100 records', () => app.metrics().processed === 100);

    await broker.stop();
    await new Promise((r) => setTimeout(r, 4000));
    assert.is.not(app.state, 'ERROR', 'an outage of a few seconds is retried, not fatal');

    broker = await startBroker({ port, dataDir });
    await produceKeys(brokers, 'outage-in', 10, 10);
    await waitFor('200 records after the broker returned', () => app.metrics().processed >= 200, 90_000);
    // The group may rebalance once more after the broker returns; stores are closed meanwhile.
    const counts = () => { try { return [...Array(10).keys()].map((k) => app.store<string, number>('counts').get(`key-${k}`)); } catch { return undefined; } };
    await waitFor('running again with the stores open', () => app.state === 'RUNNING' && counts() !== undefined, 60_000);
    await waitFor('every count at 20', () => counts()?.every((c) => c !== undefined && c >= 20) ?? false, 30_000);
    assert.equal(counts(), Array(10).fill(20), 'every key counted exactly twice ten times');
    assert.not.ok(states.includes('ERROR'));
  } finally {
    await app.close();
    await broker.stop();
  }
});

test.run();
