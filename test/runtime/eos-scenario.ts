// The exactly-once crash matrix's scenario: the inputs are written, then the counting app runs
// in a child under exactly_once_v2 and dies by kill -9 at a chosen point (or instant), is
// started again on the same state directory, dies again, ... and finally runs here to the end.
// Then the output is read read_committed and counted against the inputs, record for record
// (Kafka's StreamsEosTest check), and the stores are read.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { KafkaStreams } from '../../lib/index.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { I, waitFor } from './fixtures.ts';
import { createTopicsSafely, lag } from './crash-scenario.ts';
import { EOS_STORE, eosCountTopology, type EosChildArgs, type EosStore } from './fixtures/eos-child.ts';
import type { TxnHook } from './fixtures/eos-hooks.ts';
import { countingInputs, writeInputs } from './scenario-inputs.ts';

// The EOS tests read the group's lag as the crash tests do.
export { lag };

const quiet = kafkajs.logLevel.NOTHING;

/** How one child run dies. */
export type Kill =
  | { readonly kind: 'flush'; readonly commit: number }
  | { readonly kind: 'txn'; readonly hook: TxnHook }
  | { readonly kind: 'random'; readonly maxMs: number };

export interface EosScenario {
  readonly store: EosStore;
  readonly keys: number;
  readonly perKey: number;
  readonly partitions: number;
  readonly maxRecordsPerCommit: number;
  readonly kills: readonly Kill[];
}

export interface EosOutcome {
  readonly records: number;
  readonly results: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly wrongKeys: number;
  readonly storedTotal: number;
  /** Per child run: the transactions it committed before it died. */
  readonly committedPerRun: readonly number[];
}

/** The crash matrix: each kill point, on both stores (the test runs it once, the repeat bench N times). */
export const EOS_KILLS: readonly Kill[] = [
  { kind: 'flush', commit: 3 },
  { kind: 'txn', hook: { point: 'before-send-offsets', commit: 2 } },
  { kind: 'txn', hook: { point: 'before-end-txn', commit: 2 } },
  { kind: 'txn', hook: { point: 'after-end-txn', commit: 2 } },
  { kind: 'random', maxMs: 1500 },
];
const matrixBase = { keys: 10, perKey: 40, partitions: 2, maxRecordsPerCommit: 10, kills: EOS_KILLS };
export const EOS_MATRIX: readonly EosScenario[] = [{ ...matrixBase, store: 'leveldb' }, { ...matrixBase, store: 'memory' }];

export function killName(k: Kill): string {
  if (k.kind === 'flush') return `mid-batch (flush of commit ${k.commit})`;
  if (k.kind === 'txn') return `${k.hook.point} of transaction ${k.hook.commit}`;
  return `random (< ${k.maxMs} ms)`;
}

export async function runEosScenario(brokers: string[], s: EosScenario): Promise<EosOutcome> {
  const input = uniqueName(`eos-in-${s.store}`);
  const output = uniqueName(`eos-out-${s.store}`);
  const applicationId = uniqueName(`eos-app-${s.store}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-eos-'));
  const records = s.keys * s.perKey;
  try {
    await createTopicsSafely(brokers, [{ topic: input, numPartitions: s.partitions }, { topic: output, numPartitions: s.partitions }]);
    await produceAll(brokers, input, s.keys, s.perKey);
    const committedPerRun: number[] = [];
    const base = { brokers, input, output, applicationId, stateDir, store: s.store, maxRecordsPerCommit: s.maxRecordsPerCommit, sessionTimeoutMs: 2000 };
    for (const kill of s.kills) {
      const args: EosChildArgs = { ...base, ...(kill.kind === 'flush' ? { killAtFlush: kill.commit } : kill.kind === 'txn' ? { txn: kill.hook } : {}) };
      committedPerRun.push(await runUntilKilled(args, kill.kind === 'random' ? Math.floor(Math.random() * kill.maxMs) : undefined));
    }
    const app = new KafkaStreams(eosCountTopology(input, output, s.store), {
      applicationId, brokers, stateDir, logLevel: 'nothing', closeOnSignals: false, sessionTimeoutMs: 6000, fetchMaxWaitMs: 500,
      processingGuarantee: 'exactly_once_v2', maxRecordsPerCommit: s.maxRecordsPerCommit,
    });
    let stored: number[];
    try {
      await app.start();
      const read = () => [...Array(s.keys).keys()].map((k) => app.store<string, number>(EOS_STORE).get(`key-${k}`) ?? 0);
      await waitFor('the last run to commit every input', async () => {
        if (app.state !== 'RUNNING' || (await lag(brokers, applicationId, input)) !== 0) return false;
        try { read(); return true; } catch { return false; }
      }, 60_000);
      stored = read();
    } finally {
      await app.close();
    }
    const out = await readCommitted(brokers, output);
    const seen = new Set(out.map(([k, v]) => `${k}=${v}`));
    let missing = 0;
    for (let k = 0; k < s.keys; k++) for (let n = 1; n <= s.perKey; n++) if (!seen.has(`key-${k}=${n}`)) missing++;
    return {
      records, results: out.length, missing, duplicated: out.length - seen.size,
      wrongKeys: stored.filter((c) => c !== s.perKey).length, storedTotal: stored.reduce((a, b) => a + b, 0), committedPerRun,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Runs the child until it dies of SIGKILL (its own hook's, or ours `afterMs` after it runs); resolves with its commits. */
export function runUntilKilled(args: EosChildArgs, afterMs: number | undefined): Promise<number> {
  const child = startEosChild(args);
  child.lines((line) => {
    if (line === 'RUNNING' && afterMs !== undefined) setTimeout(() => child.process.kill('SIGKILL'), afterMs);
  });
  return child.exited.then(({ signal, output }) => {
    if (signal !== 'SIGKILL') throw new Error(`the child ended with ${signal} instead of SIGKILL: ${output.slice(-2000)}`);
    return output.split('\n').filter((l) => l.startsWith('COMMITTED ')).length;
  });
}

export interface EosChild {
  readonly process: ReturnType<typeof spawn>;
  lines(listener: (line: string) => void): void;
  /** Resolves when it exits, with its signal and everything it printed. */
  readonly exited: Promise<{ signal: NodeJS.Signals | null; output: string }>;
}

export function startEosChild(args: EosChildArgs, timeoutMs = 60_000): EosChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/eos-child.ts', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners: ((line: string) => void)[] = [];
  child.stderr!.on('data', (d) => { output += String(d); });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output += `${line}\n`;
    for (const l of listeners) l(line);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<{ signal: NodeJS.Signals | null; output: string }>((resolve) => child.on('exit', (_code, signal) => {
    clearTimeout(timer);
    resolve({ signal, output });
  }));
  return { process: child, lines: (l) => listeners.push(l), exited };
}

/** The counting inputs (`perKey` rounds over `keys` keys), each written once (see scenario-inputs.ts). */
export function produceAll(brokers: string[], topic: string, keys: number, perKey: number): Promise<void> {
  return writeInputs(brokers, topic, countingInputs(keys, perKey));
}

/**
 * Reads `topic` whole, read_committed (kafkajs's default isolation), as (key, Int32 value). The
 * end is tracked by kafkajs's batch events: a batch of only markers or aborted records never
 * reaches eachMessage, and a transactionally written partition ends with a marker.
 */
export async function readCommitted(brokers: string[], topic: string): Promise<[string, number][]> {
  const kafka = new kafkajs.Kafka({ brokers, logLevel: quiet });
  const admin = kafka.admin();
  await admin.connect();
  const ends = (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as const);
  await admin.disconnect();
  const out: [string, number][] = [];
  const reached = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: uniqueName('eos-reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    reached.set(payload.partition, Math.max(reached.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1));
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { out.push([message.key!.toString(), I.deserialize(message.value!)]); } });
    await waitFor(`the end of ${topic} read_committed`, () => ends.every(([p, end]) => end === 0 || (reached.get(p) ?? 0) >= end), 60_000);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
