// A fetched batch whose processors are slow and synchronous does not hold the event loop for
// the whole batch: the runtime lets it turn between slices, so a query server or a heartbeat on
// the same thread is not kept waiting until the batch ends.
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import { createTopic, send } from './produce-fixtures.ts';
import { Topology } from '../../lib/index.ts';

const RECORDS = 300;
const BUSY_MS = 1;

/** The last time a 2 ms timer ran, and the longest a record saw since then (from the first record on). */
const loop = { lastTick: performance.now(), longest: 0, started: false };

/** Spins for `BUSY_MS` per record (a model scored inline), noting how long the timer has waited. */
function busy(input: string): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('p', () => ({
      process() {
        if (!loop.started) loop.lastTick = performance.now();
        loop.started = true;
        const until = performance.now() + BUSY_MS;
        while (performance.now() < until);
        loop.longest = Math.max(loop.longest, performance.now() - loop.lastTick);
      },
    }), 'in');
}

forEachBroker('test/runtime/batch-slices.test.ts', (test, brokerList) => {
  test('a batch of 300 records taking 1 ms each lets a 2 ms timer run well before the batch ends', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('slices-in'), uniqueName('slices')];
    await createTopic(brokers, input);
    // One send: one record batch, fetched and handed to the task as one batch.
    await send(brokers, input, Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: 'v' })));
    // No commit inside the batch (a commit's sends would let the loop turn anyway).
    const app = newInstance(busy(input), { applicationId, brokers, commitIntervalMs: 60_000, maxRecordsPerCommit: 10_000 });
    const timer = setInterval(() => { loop.lastTick = performance.now(); }, 2);
    Object.assign(loop, { longest: 0, started: false });
    try {
      await app.start();
      await waitFor('the batch processed', () => app.metrics().processed >= RECORDS, 60_000);
      // Unsliced, the loop would stay blocked for the whole batch (~300 ms).
      assert.ok(loop.longest < (RECORDS * BUSY_MS) / 2, `the event loop was blocked for ${loop.longest.toFixed(0)} ms at once`);
    } finally {
      clearInterval(timer);
      await app.close();
    }
  });
});
