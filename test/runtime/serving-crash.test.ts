// The kv and custom serving topologies killed -9 mid-stream and restarted on the same state
// directory: the statistics store counts every record exactly once (invocations == records),
// while every record has a result and repeats stay within one commit per partition.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { KafkaStreams } from '../../lib/index.ts';
import { encodeModelDescriptor, encodeWineRecord } from '../../topologies/codecs/messages.ts';
import { buildServingTopology } from '../../topologies/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { files, pmmlDescriptor, wineRecords } from '../topologies/fixtures.ts';
import { forEachBroker } from './targets.ts';
import { waitFor } from './fixtures.ts';
import { createTopicsSafely } from './crash-scenario.ts';

const RECORDS = 3000;
const PARTITIONS = 2;
const MAX_RECORDS_PER_COMMIT = 200;
const quiet = kafkajs.logLevel.NOTHING;

async function endOffsets(brokers: string[], topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: quiet }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function committed(brokers: string[], groupId: string, topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: quiet }).admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (t?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

interface Outcome { invocations: number; results: number; killedAtResults: number }

async function crashAndRestart(brokers: string[], kind: 'kv' | 'custom'): Promise<Outcome> {
  const topics = { data: uniqueName(`${kind}-crash-data`), models: uniqueName(`${kind}-crash-models`), results: uniqueName(`${kind}-crash-results`) };
  await createTopicsSafely(brokers, [{ topic: topics.data, numPartitions: PARTITIONS }, { topic: topics.models, numPartitions: 1 }, { topic: topics.results, numPartitions: 1 }]);
  const applicationId = uniqueName(`${kind}-crash`);
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-serving-crash-'));
  const producer = new kafkajs.Kafka({ brokers, logLevel: quiet }).producer();
  await producer.connect();
  try {
    const model = pmmlDescriptor(files.tree, 'wine', 'tree', 'a decision tree (classification)');
    await producer.send({ topic: topics.models, acks: -1, messages: [{ key: 'wine', value: Buffer.from(encodeModelDescriptor(model)) }] });

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/serving-child.ts',
      JSON.stringify({ kind, topics, brokers, applicationId, stateDir, maxRecordsPerCommit: MAX_RECORDS_PER_COMMIT })], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => { if (line === 'RUNNING') resolve(); });
      child.on('exit', (code, signal) => reject(new Error(`the serving child ended early (${signal ?? code})`)));
    });
    // Mid-stream: records keep coming while the parent waits for a third of the results.
    const rows = wineRecords(RECORDS);
    const all = Array.from({ length: RECORDS }, (_, i) => ({ key: `r${i}`, value: Buffer.from(encodeWineRecord(rows[i % rows.length]!)) }));
    let killedAtResults = -1;
    const watcher = (async () => {
      await waitFor('a third of the results', async () => (await endOffsets(brokers, topics.results)) >= RECORDS / 3, 60_000);
      child.kill('SIGKILL');
    })();
    for (let i = 0; i < RECORDS && child.exitCode === null && child.signalCode === null; i += 100) {
      await producer.send({ topic: topics.data, acks: -1, messages: all.slice(i, i + 100) });
      await new Promise((r) => setTimeout(r, 20));
    }
    await watcher;
    await exited;
    killedAtResults = await endOffsets(brokers, topics.results);
    const sent = await endOffsets(brokers, topics.data);
    if (sent < RECORDS) await producer.send({ topic: topics.data, acks: -1, messages: all.slice(sent) });

    const topology = buildServingTopology(kind, { topics, log: () => {} });
    const app = new KafkaStreams(topology.topology, { applicationId, brokers, stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000 });
    try {
      await app.start();
      await waitFor('every record committed by the restarted instance', async () =>
        app.state === 'RUNNING' && (await committed(brokers, applicationId, topics.data)) >= RECORDS, 60_000);
      await waitFor('every task open', () => { try { topology.localStats(app, 'wine'); return true; } catch { return false; } });
      const invocations = topology.localStats(app, 'wine')?.invocations ?? 0;
      return { invocations, results: await endOffsets(brokers, topics.results), killedAtResults };
    } finally {
      await app.close();
    }
  } finally {
    await producer.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

forEachBroker('test/runtime/serving-crash.test.ts', (test, brokers) => {
  const outcomes = new Map<string, Promise<Outcome>>();
  test.before(() => {
    for (const kind of ['kv', 'custom'] as const) {
      const run = crashAndRestart(brokers(), kind);
      run.catch(() => {});
      outcomes.set(kind, run);
    }
  });
  for (const kind of ['kv', 'custom'] as const) {
    test(`${kind}: killed -9 mid-stream and restarted, invocations == records; every record has a result, repeats <= one commit per partition`, async () => {
      const o = await outcomes.get(kind)!;
      const seen = `invocations ${o.invocations}, results ${o.results}, killed at ${o.killedAtResults} results`;
      assert.ok(o.killedAtResults < RECORDS, `killed mid-stream (${seen})`);
      assert.is(o.invocations, RECORDS, seen);
      assert.ok(o.results >= RECORDS, `a result per record (${seen})`);
      assert.ok(o.results - RECORDS <= MAX_RECORDS_PER_COMMIT * PARTITIONS, `repeats within the window (${seen})`);
    });
  }
});
