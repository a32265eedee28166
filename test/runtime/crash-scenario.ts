// One crash-matrix scenario: feed the counting app, run it in a child until a kill -9, restart
// it here on the same state directory, and count inputs, outputs and the store's contents.
// Used by crash-matrix.test.ts (small) and bench/crash-matrix.ts (big).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { KafkaStreams, Serdes } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { waitFor } from './fixtures.ts';
import { STORE, crashTopology, type KillPoint, type StoreKind } from './fixtures/crash-app.ts';
import type { ChildArgs } from './fixtures/crash-child.ts';
import { countingInputs, writeInputs } from './scenario-inputs.ts';

export interface Scenario {
  readonly store: StoreKind;
  /** A hook in the child's commit cycle, or 'random': the parent kills at a random record count. */
  readonly point: KillPoint | 'random';
  readonly keys: number;
  readonly perKey: number;
  readonly partitions: number;
  readonly maxRecordsPerCommit: number;
  /** The commit of a task the hook kills in (ignored for 'random'). */
  readonly killAtCommit: number;
}

export interface Outcome {
  readonly records: number;
  /** Output records, duplicates included. */
  readonly results: number;
  /** Inputs with no output: (key, n) pairs for n in 1..perKey never seen. */
  readonly missing: number;
  /** Output records beyond the first of each (key, count). */
  readonly duplicated: number;
  /** Keys whose stored count after the restart differs from their number of inputs. */
  readonly wrongKeys: number;
  /** Sum of the stored counts after the restart (equals `records` when state is exact). */
  readonly storedTotal: number;
  /** What the child was counting when it died. */
  readonly killedAfter: number;
  readonly restoredRecords: number;
}

const I = Serdes.Int32();
const quiet = kafkajs.logLevel.NOTHING;

export async function runScenario(brokers: string[], scenario: Scenario): Promise<Outcome> {
  const tag = `${scenario.store}-${scenario.point}`;
  const input = uniqueName(`crash-in-${tag}`);
  const output = uniqueName(`crash-out-${tag}`);
  const applicationId = uniqueName(`crash-app-${tag}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-crash-'));
  const records = scenario.keys * scenario.perKey;
  try {
    await createTopicsSafely(brokers, [{ topic: input, numPartitions: scenario.partitions }, { topic: output, numPartitions: scenario.partitions }]);
    const child = startChild({
      brokers, input, output, applicationId, stateDir, store: scenario.store,
      ...(scenario.point === 'random' ? {} : { kill: { point: scenario.point, commit: scenario.killAtCommit } }),
      maxRecordsPerCommit: scenario.maxRecordsPerCommit, sessionTimeoutMs: 2000,
    }, scenario.point === 'random' ? Math.floor(records * (0.1 + 0.8 * Math.random())) : undefined);
    // Fed while it runs, in small sends: many fetched batches, so many commits, whatever the
    // commit policy (a batch is committed at its end in any case).
    await child.running;
    await writeInputs(brokers, input, countingInputs(scenario.keys, scenario.perKey), { chunk: 100, pauseMs: 30 });
    const killedAfter = await child.killed;

    const app = new KafkaStreams(crashTopology({ input, output, store: scenario.store }), {
      applicationId, brokers, stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000, fetchMaxWaitMs: 500,
      maxRecordsPerCommit: scenario.maxRecordsPerCommit,
    });
    let stored: number[];
    let restoredRecords: number;
    // Joining a group takes seconds: the reader joins while the app restarts.
    const reader = await startReader(brokers, output);
    let out: [string, number][];
    try {
      await app.start();
      const read = () => [...Array(scenario.keys).keys()].map((k) => app.store<string, number>(STORE).get(`key-${k}`) ?? 0);
      // Offsets may all be committed before the restart (a kill right after the last commit):
      // also wait for every task to be open (its store readable) and the app running.
      await waitFor('the restarted app to run and commit every input', async () => {
        if (app.state !== 'RUNNING' || (await lag(brokers, applicationId, input)) !== 0) return false;
        try { read(); return true; } catch { return false; }
      }, 90_000);
      stored = read();
      restoredRecords = app.metrics().restoredRecords;
      await app.close();
      out = await reader.readToEnd();
    } finally {
      await app.close();
      await reader.stop();
    }
    const seen = new Set(out.map(([k, v]) => `${k}=${v}`));
    let missing = 0;
    for (let k = 0; k < scenario.keys; k++) for (let n = 1; n <= scenario.perKey; n++) if (!seen.has(`key-${k}=${n}`)) missing++;
    return {
      records, results: out.length, missing, duplicated: out.length - seen.size,
      wrongKeys: stored.filter((c) => c !== scenario.perKey).length,
      storedTotal: stored.reduce((a, b) => a + b, 0), killedAfter, restoredRecords,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Starts the child; `killed` resolves with what it counted when it died of SIGKILL (its own, or ours once it counted `killAt`). */
function startChild(args: ChildArgs, killAt: number | undefined): { running: Promise<void>; killed: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/crash-child.ts', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let counted = 0;
  let stderr = '';
  let isRunning!: () => void;
  const running = new Promise<void>((resolve) => { isRunning = resolve; });
  child.stderr.on('data', (d) => { stderr += String(d); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'RUNNING') isRunning();
    if (!line.startsWith('P ')) return;
    counted = Number(line.slice(2));
    if (killAt !== undefined && counted >= killAt) child.kill('SIGKILL');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const killed = new Promise<number>((resolve, reject) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    isRunning();
    if (signal === 'SIGKILL') resolve(counted);
    else reject(new Error(`the child ended with ${signal ?? code} instead of SIGKILL: ${stderr.slice(-2000)}`));
  }));
  killed.catch(() => {});
  return { running, killed };
}

/**
 * Creates topics and waits for their leaders, retrying: with several creations at once, real
 * Kafka's metadata can answer UNKNOWN_TOPIC_OR_PARTITION for a moment (kafkajs then throws).
 */
export async function createTopicsSafely(brokers: string[], topics: { topic: string; numPartitions: number }[]): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: quiet }).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.createTopics({ topics, waitForLeaders: true });
        const { topics: found } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
        if (found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        if (attempt >= 10) throw err;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Records of `topic` behind the group's committed offsets (everything, when it has none). */
export async function lag(brokers: string[], groupId: string, topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: quiet }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.reduce((sum, p) => {
      const at = Number(committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? -1);
      return sum + Number(p.high) - Math.max(0, at);
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads `topic` from the beginning as (key, Int32 value); `readToEnd` waits for its end offsets of then. */
async function startReader(brokers: string[], topic: string): Promise<{ readToEnd(): Promise<[string, number][]>; stop(): Promise<void> }> {
  const kafka = new kafkajs.Kafka({ brokers, logLevel: quiet });
  const out: [string, number][] = [];
  const next = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: uniqueName('crash-reader') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      out.push([message.key!.toString(), I.deserialize(message.value!)]);
      next.set(partition, Number(message.offset) + 1);
    },
  });
  return {
    async readToEnd() {
      const admin = kafka.admin();
      await admin.connect();
      const ends = (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as const);
      await admin.disconnect();
      await waitFor(`the end of ${topic}`, () => ends.every(([p, end]) => (next.get(p) ?? 0) >= end), 60_000);
      return out;
    },
    stop: () => consumer.disconnect(),
  };
}
