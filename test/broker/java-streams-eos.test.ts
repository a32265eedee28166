// Kafka Streams (Java 4.4) with processing.guarantee=exactly_once_v2 against the embedded broker:
// a word count (repartitioned by word, RocksDB store, no record cache) killed -9 part way through
// and started again on the same state directory. Read read_committed, each word's outputs are
// exactly 1, 2, ... its number of occurrences: no count lost, none repeated, across the restart.
// Its producers read transaction.version 2 and use KIP-890 part 2 (Produce v13, TxnOffsetCommit
// v5, EndTxn v5, no AddPartitionsToTxn). The app is test/streams-java (Maven; .ci/run builds it, the test builds it when missing).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { jpmml, needs } from '../requirements.ts';

const it = needs(jpmml);
const appDir = fileURLToPath(new URL('../streams-java/', import.meta.url));
const jar = join(appDir, 'target/streams-eos.jar');
const LINES = 300;
const quiet = kafkajs.logLevel.NOTHING;

function line(i: number): string {
  return `w${i % 7} W${i % 11}, w${i % 3}!`;
}

function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < LINES; i++) for (const w of line(i).toLowerCase().split(/\W+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

function startApp(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('java', ['-Xmx256m', '-jar', jar, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += String(d); });
  child.stderr!.on('data', (d) => { output += String(d); });
  return { child, output: () => output };
}

let broker: RunningBroker | undefined;
test.after(async () => { await broker?.stop(); });

it('a Kafka Streams exactly_once_v2 word count killed -9 and restarted counts every word exactly', async () => {
  if (!existsSync(jar)) execFileSync('mvn', ['-q', '-B', '-f', join(appDir, 'pom.xml'), 'package'], { stdio: 'ignore', timeout: 240_000 });
  /** `Api vN` of every request the Streams app's transactional producers sent. */
  const txnRequests = new Set<string>();
  broker = await startBroker({
    port: 0, logRequests: true,
    log: (_level, message, extra) => {
      const m = /^request (\w+ v\d+)$/.exec(message);
      if (m && /^word-count-eos-.*producer$/.test(String((extra as { clientId?: string | null }).clientId))) txnRequests.add(m[1]!);
    },
  });
  const brokers = broker.brokers;
  const kafka = new kafkajs.Kafka({ brokers, logLevel: quiet });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'lines', numPartitions: 2 }, { topic: 'word-counts', numPartitions: 2 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'lines', acks: -1, messages: Array.from({ length: LINES }, (_, i) => ({ key: `l${i}`, value: line(i) })) });
  await producer.disconnect();

  const expected = expectedCounts();
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const seen: [string, number][] = [];
  const reader = kafka.consumer({ groupId: 'word-count-reader', readUncommitted: false, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: ['word-counts'], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => { seen.push([message.key!.toString(), Number(message.value!.readBigInt64BE())]); } });

  const stateDir = mkdtempSync(join(tmpdir(), 'streams-eos-'));
  const args = [brokers[0]!, 'word-count-eos', 'lines', 'word-counts', stateDir];
  let app = startApp(args);
  try {
    const until = async (what: string, done: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the app said:\n${app.output().slice(-3000)}`);
        if (/STATE ERROR|UNCAUGHT/.test(app.output())) throw new Error(`the app failed:\n${app.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('a third of the counts', () => seen.length >= total / 3, 120_000);
    app.child.kill('SIGKILL');
    await new Promise((r) => app.child.once('exit', r));
    const beforeRestart = seen.length;
    app = startApp(args);
    await until('every count', () => seen.length >= total, 120_000);
    // Whatever else arrives now would be a count repeated.
    await new Promise((r) => setTimeout(r, 1500));
    const byWord = new Map<string, number[]>();
    for (const [w, n] of seen) byWord.set(w, [...(byWord.get(w) ?? []), n]);
    for (const [w, count] of expected) {
      const got = (byWord.get(w) ?? []).sort((a, b) => a - b);
      assert.equal(got, Array.from({ length: count }, (_, i) => i + 1), `the counts of '${w}' (${beforeRestart} of ${total} seen before the kill)`);
    }
    assert.is(seen.length, total);
    const sent = [...txnRequests].sort().join(', ');
    for (const v of ['Produce v13', 'TxnOffsetCommit v5', 'EndTxn v5']) assert.ok(txnRequests.has(v), `the Streams producers sent ${v}; they sent ${sent}`);
    assert.not.ok([...txnRequests].some((v) => v.startsWith('AddPartitionsToTxn') || v.startsWith('AddOffsetsToTxn')), sent);
    console.log(`word counts: ${total} outputs for ${expected.size} words, ${beforeRestart} read before the kill -9, exact after the restart`);
  } finally {
    app.child.kill('SIGKILL');
    await reader.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
