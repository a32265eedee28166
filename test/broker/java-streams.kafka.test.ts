// Kafka Streams 4.4 (Java) with its default configuration (no replication.factor override:
// its internal topics are created with -1, the broker's default) against real Kafka and the
// embedded broker, with the same assertions: it starts, counts every record, and after its
// state directory is wiped it restores the counts from its changelog before counting on.
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { javaCommand } from '../../scripts/kafka/provision.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { kafkaTools, needs, type Dependency } from '../requirements.ts';
import { run } from './groups/external-client.ts';

const SOURCE = join(import.meta.dirname, 'fixtures', 'StreamsCount.java');
/** Kafka Streams and RocksDB come with the reference peer's build (.ci/run packages it). */
const STREAMS_LIBS = join(import.meta.dirname, '..', '..', 'bench', 'peers', 'kafka-streams', 'target', 'lib');

const streamsJars: Dependency = {
  name: 'the Kafka Streams jars of bench/peers/kafka-streams (mvn package)',
  requiredBy: ['MODELSTREAM_REQUIRE_KAFKA'],
  missing: () => (existsSync(STREAMS_LIBS) && readdirSync(STREAMS_LIBS).some((f) => f.startsWith('kafka-streams-'))
    ? undefined : `no kafka-streams jar in ${STREAMS_LIBS} (cd bench/peers/kafka-streams && mvn package)`),
};

const KEYS = 10;

let compiled: Promise<string> | undefined;
function compileOnce(): Promise<string> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streams-count-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const java = javaCommand();
    const javac = java === 'java' ? 'javac' : join(dirname(java), basename(java).replace(/java$/, 'javac'));
    const res = await run(javac, ['-cp', join(STREAMS_LIBS, '*'), '-d', dir, SOURCE], { timeoutMs: 120_000 });
    if (res.code !== 0) throw new Error(`javac StreamsCount.java failed: ${res.stderr}`);
    return dir;
  })();
  return compiled;
}

interface App { out(): string; stop(): Promise<number | null> }

async function startApp(args: string[]): Promise<App> {
  const classes = await compileOnce();
  // C1 only and the serial collector: a few hundred records need no C2 compiles, and its start-up costs less CPU.
  const child = spawn(javaCommand(), ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', `${classes}:${join(STREAMS_LIBS, '*')}`, 'StreamsCount', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    out: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      // A clean close leaves the group and flushes; on a loaded 2-core machine that can pass 30 s.
      const timer = setTimeout(() => { out += '\n[test] no clean close within 60 s: SIGKILL\n'; child.kill('SIGKILL'); }, 60_000);
      try { return await closed; } finally { clearTimeout(timer); }
    },
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

forEachBroker('test/broker/java-streams.kafka.test.ts', (suite, brokers) => {
  const it = needs([kafkaTools, streamsJars], suite);

  it('a default-configured Kafka Streams app counts every record and restores its store from the changelog', async () => {
    const input = uniqueName('ks-in'), output = uniqueName('ks-out'), appId = uniqueName('ks-app');
    const kafka = new Kafka({ brokers: brokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const produce = (perKey: number) => producer.send({
      topic: input,
      messages: Array.from({ length: KEYS * perKey }, (_, i) => ({ key: `k${i % KEYS}`, value: String(i) })),
    });
    // The latest count written per key, read from the output topic.
    const latest = new Map<string, bigint>();
    let outputRecords = 0;
    const consumer = kafka.consumer({ groupId: uniqueName('ks-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: output, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { outputRecords++; latest.set(message.key!.toString(), message.value!.readBigInt64BE()); } });
    const stateDir = mkdtempSync(join(tmpdir(), 'ks-state-'));
    const args = [brokers()[0]!, appId, stateDir, input, output];
    const allAt = (n: bigint) => latest.size === KEYS && [...latest.values()].every((c) => c === n);
    try {
      await produce(20);
      const first = await startApp(args);
      await waitFor(`counts of 20 (${first.out().slice(-800)})`, () => allAt(20n)).finally(() => first.stop());
      assert.match(first.out(), /STATE RUNNING/);
      assert.match(first.out(), /CLOSED NOT_RUNNING/, `closed cleanly on SIGTERM:\n${first.out().slice(-1500)}`);
      assert.not.match(first.out(), /ERROR /);

      // Its changelog and repartition-free topology: one changelog, created at the broker's default replication.
      const changelog = `${appId}-counts-changelog`;
      const meta = await admin.fetchTopicMetadata({ topics: [changelog] });
      assert.is(meta.topics[0]!.partitions.length, 2);
      assert.is(meta.topics[0]!.partitions[0]!.replicas.length, 1);

      rmSync(stateDir, { recursive: true, force: true });
      await produce(10);
      const second = await startApp(args);
      // 30 only if the 20 came back from the changelog: a fresh store would count 10.
      // (Its clean close was checked on the first run; a second close on a busy broker may outlast the grace.)
      await waitFor(`counts of 30 (${second.out().slice(-800)})`, () => allAt(30n)).finally(() => second.stop());
      assert.not.match(second.out(), /ERROR /);
      assert.ok(outputRecords >= KEYS * 2, `at least one output per key per run, got ${outputRecords}`);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
