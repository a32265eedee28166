import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type StreamsState } from '../../lib/index.ts';
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
    await waitFor('running again', () => app.state === 'RUNNING');
    for (let k = 0; k < 10; k++) assert.is(app.store<string, number>('counts').get(`key-${k}`), 20, `key-${k}`);
    assert.not.ok(states.includes('ERROR'));
  } finally {
    await app.close();
    await broker.stop();
  }
});

test.run();
