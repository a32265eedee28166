// A task's two stores log to changelog partitions led by different brokers of a 2-node cluster.
// Node 2 is cut off the network (its client port sits behind a proxy that swallows requests), the
// app commits (store a's changelog, on node 1, gets the commit; store b's, on node 2, never does),
// and is killed with -9; then the network heals and the app restarts on the same state dir.
// Each store must count each input once: b runs the inputs again, a drops them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { kafkaAvailable } from '../../scripts/kafka/kafka.ts';
import { freePort } from '../../scripts/kafka/broker.ts';
import { startKafkaCluster, type RunningKafkaCluster } from '../../scripts/kafka/cluster.ts';
import { KafkaRequiredError, uniqueName } from './brokers.ts';
import { startTcpProxy, type TcpProxy } from '../runtime/tcp-proxy.ts';
import { readLatest, waitFor } from '../runtime/fixtures.ts';

const available = kafkaAvailable();
if (!available && process.env.MODELSTREAM_REQUIRE_KAFKA === '1') {
  throw new KafkaRequiredError('Java 17+ is not available, and MODELSTREAM_REQUIRE_KAFKA=1 makes the Kafka tests mandatory');
}
if (!available) console.log('[skip] test/kafka/split-commit.kafka.test.ts: no Java 17+, so no 2-node Kafka cluster; skipped.');

const KEYS = 10;
const quiet = { logLevel: kafkajs.logLevel.NOTHING };
let cluster: RunningKafkaCluster | undefined;
let proxy: TcpProxy | undefined;
const children: ChildProcess[] = [];

function startApp(args: { brokers: string[]; input: string; applicationId: string; stateDir: string }): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/two-store-child.ts', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve();
  else child.once('exit', () => resolve());
});

if (available) {
  test.before(async () => {
    const [port, advertisedPort] = [await freePort(), await freePort()];
    proxy = await startTcpProxy({ port: advertisedPort, targetPort: port });
    cluster = await startKafkaCluster({ brokers: 2, listeners: { 2: { port, advertisedPort } }, log: () => {} });
  });
  test.after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await cluster?.stop();
    await proxy?.stop();
  });

  test('killed between the answers of its two changelogs\' brokers, each store still counts each input once', async () => {
    const node1 = [cluster!.addressOf(1)];
    const [input, applicationId] = [uniqueName('split-in'), uniqueName('split')];
    const [changelogA, changelogB] = [`${applicationId}-a-changelog`, `${applicationId}-b-changelog`];
    const kafka = new kafkajs.Kafka({ brokers: node1, ...quiet });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const one = (replica: number, compact: boolean) => ({
      replicaAssignment: [{ partition: 0, replicas: [replica] }],
      configEntries: [{ name: 'min.insync.replicas', value: '1' }, ...(compact ? [{ name: 'cleanup.policy', value: 'compact' }] : [])],
    });
    await admin.createTopics({ waitForLeaders: true, topics: [
      { topic: input, ...one(1, false) }, { topic: changelogA, ...one(1, true) }, { topic: changelogB, ...one(2, true) },
    ] });
    // A fresh admin each time: a long-lived one may route a request to node 2 while it is cut off.
    const end = async (topic: string) => {
      const probe = kafka.admin();
      await probe.connect();
      try { return Number((await probe.fetchTopicOffsets(topic))[0]!.high); } finally { await probe.disconnect(); }
    };
    const round = () => producer.send({ topic: input, acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, value: 'x' })) });
    const stateDir = mkdtempSync(join(tmpdir(), 'modelstream-split-'));
    try {
      const first = startApp({ brokers: node1, input, applicationId, stateDir });
      await round();
      await waitFor('the first round in both changelogs', async () => (await end(changelogA)) >= KEYS && (await end(changelogB)) >= KEYS);

      proxy!.cut();
      await round();
      await waitFor("the second round's commit in a's changelog", async () => (await end(changelogA)) >= 2 * KEYS);
      first.kill('SIGKILL');
      await exited(first);
      proxy!.heal();
      assert.is(await end(changelogB), KEYS, "b's part of the commit never reached node 2");

      const second = startApp({ brokers: node1, input, applicationId, stateDir });
      // b counts the second round again (10 more records); a must not (no record for it).
      await waitFor("b's count of the second round", async () => (await end(changelogB)) >= 2 * KEYS, 60_000).catch(() => {});
      second.kill('SIGTERM');
      await exited(second);
      const a = await readLatest(node1, changelogA, await end(changelogA));
      const b = await readLatest(node1, changelogB, await end(changelogB));
      const two = Object.fromEntries(Array.from({ length: KEYS }, (_, k) => [`k${k}`, 2]));
      assert.equal(Object.fromEntries(a), two, 'store a: two inputs per key');
      assert.equal(Object.fromEntries(b), two, 'store b: two inputs per key');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
}

test.run();
