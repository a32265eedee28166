import { startBroker } from '../../lib/broker/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { createTopics } from './fixtures.ts';
import { threaded } from './fixtures/threaded.ts';
const brokers = process.env.BROKERS ? process.env.BROKERS.split(',') : (await startBroker({ port: 0 })).brokers;
let bad = 0;
for (let i = 0; i < Number(process.env.N ?? 6); i++) {
  const input = uniqueName('race-in'), output = uniqueName('race-out'), applicationId = uniqueName('race-app');
  await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
  const s = threaded({ input, output }, { applicationId, brokers, applicationServer: 'localhost:9101', numStreamThreads: 2, fetchMaxWaitMs: 500 });
  const t0 = Date.now();
  await s.start();
  const th = s.threads();
  const all = th.flatMap((t) => t.tasks);
  const ok = new Set(all).size === all.length && all.length === 4;
  if (!ok) bad++;
  console.log(`${i}: ${Date.now() - t0} ms ${ok ? 'ok' : 'STALE'} ${JSON.stringify(th.map((t) => [t.state, t.tasks]))} meta ${JSON.stringify(s.allMetadata().map((m) => m.tasks))}`);
  await s.close();
}
console.log(`stale ${bad}`);
process.exit(0);
