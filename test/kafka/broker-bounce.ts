// A broker-bounce scenario after Kafka Streams' StreamsBrokerBounceTest: a counting app on a
// 3-node cluster while a producer writes with acks=all, and the leader of a data partition is
// stopped (cleanly or with kill -9) and restarted again and again. Shared by
// test/kafka/broker-bounce.kafka.test.ts (small) and bench/broker-bounce.ts (large).
import kafkajs from 'kafkajs';
import type { StreamsState } from '../../lib/index.ts';
import type { RunningKafkaCluster, StopMode } from '../../scripts/kafka/cluster.ts';
import { I, countTopology, newInstance, waitFor } from '../runtime/fixtures.ts';

export interface BounceOptions {
  readonly cluster: RunningKafkaCluster;
  readonly name: string;
  readonly partitions: number;
  readonly keys: number;
  /** One entry per bounce of the current leader of input partition 0. */
  readonly bounces: readonly StopMode[];
  /** How long a stopped node stays down before it is restarted. */
  readonly downMs: number;
  readonly log?: (line: string) => void;
}

export interface BounceResult {
  /** Records in the input topic per key (read back from the log: the truth, retries included). */
  readonly inputs: Map<string, number>;
  /** Sends the producer saw acknowledged, per key. */
  readonly acked: Map<string, number>;
  /** Acknowledged records (key, value) that are not in the input topic. */
  readonly lostAcked: string[];
  /** Records that appear more than once in the input topic (a retried send written twice). */
  readonly duplicatedInputs: string[];
  readonly failedSends: number;
  /** The store's count per key at the end. */
  readonly counts: Map<string, number | undefined>;
  /** Per key, the counts (1..n) that never appeared in the output topic. */
  readonly missingOutputs: Map<string, number[]>;
  readonly outputRecords: number;
  readonly states: StreamsState[];
  /** Each bounce: the node, how, and how long until it was back and every replica in sync. */
  readonly bounced: { node: number; mode: StopMode; recoveredMs: number }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every record of a topic up to its current end, as key → values. */
async function readAll(brokers: string[], topic: string): Promise<{ key: string; value: Buffer }[]> {
  const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const out: { key: string; value: Buffer }[] = [];
  const reached = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `bounce-reader-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => {
    if (Number(message.offset) < ends.get(partition)!) out.push({ key: message.key!.toString(), value: message.value! });
    reached.set(partition, Number(message.offset) + 1);
  } });
  try {
    await waitFor(`${topic} read to its end`, () => [...ends].every(([p, end]) => end === 0 || (reached.get(p) ?? 0) >= end), 60_000);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

async function createTopics(brokers: string[], topics: { topic: string; numPartitions: number; configEntries?: { name: string; value: string }[] }[]) {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((t) => ({ ...t, replicationFactor: 3 })) });
  await admin.disconnect();
}

export async function runBrokerBounce(o: BounceOptions): Promise<BounceResult> {
  const { cluster } = o;
  const log = o.log ?? (() => {});
  const input = `${o.name}-in`, output = `${o.name}-out`, appId = `${o.name}-app`;
  const changelog = `${appId}-counts-changelog`;
  await createTopics(cluster.brokers, [
    { topic: input, numPartitions: o.partitions },
    { topic: output, numPartitions: o.partitions },
    // Pre-created with RF 3: the runtime would create its changelog with one replica.
    { topic: changelog, numPartitions: o.partitions, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ]);
  const topics = [input, output, changelog];
  await cluster.waitForInSync(topics);

  const app = newInstance(countTopology(input, output), { applicationId: appId, brokers: cluster.brokers, commitIntervalMs: 500 });
  const states: StreamsState[] = [];
  app.onStateChange((s) => states.push(s));
  await app.start();

  const producer = new kafkajs.Kafka({ brokers: cluster.brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 3000 } })
    .producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const acked = new Map<string, number>();
  const ackedRecords: string[] = [];
  let failedSends = 0, seq = 0, producing = true;
  const load = (async () => {
    while (producing) {
      // One send per partition: kafkajs 2.2.4 keeps a send's per-broker answers across its
      // retries, so when a partition's leader moves to a broker that already answered the same
      // send, its messages are never resent and the send still resolves (tulios/kafkajs#1303).
      for (let p = 0; p < o.partitions; p++) {
        const messages = [];
        for (let k = p; k < o.keys; k += o.partitions) messages.push({ key: `key-${k}`, value: `v${seq}`, partition: p });
        try {
          await producer.send({ topic: input, acks: -1, messages });
          for (const m of messages) { acked.set(m.key, (acked.get(m.key) ?? 0) + 1); ackedRecords.push(`${m.key}=${m.value}`); }
        } catch (err) {
          failedSends++;
          log(`send failed: ${(err as Error).message}`);
        }
      }
      seq++;
      await sleep(20);
    }
  })();

  const bounced: BounceResult['bounced'] = [];
  try {
    await sleep(1000);
    for (const mode of o.bounces) {
      const node = await cluster.leaderOf(input, 0);
      const t0 = Date.now();
      await cluster.stopBroker(node, mode);
      log(`node ${node} stopped (${mode}); ${[...acked.values()].reduce((a, b) => a + b, 0)} records acked so far`);
      await sleep(o.downMs);
      await cluster.startBroker(node);
      await cluster.waitForInSync([...topics, '__consumer_offsets']);
      bounced.push({ node, mode, recoveredMs: Date.now() - t0 });
      log(`node ${node} back and in sync after ${Date.now() - t0} ms`);
      await sleep(500);
    }
  } finally {
    producing = false;
    await load;
    await producer.disconnect();
  }

  const inputs = new Map<string, number>();
  const inputRecords = await readAll(cluster.brokers, input);
  for (const r of inputRecords) inputs.set(r.key, (inputs.get(r.key) ?? 0) + 1);
  const present = new Set(inputRecords.map((r) => `${r.key}=${r.value.toString()}`));
  const lostAcked = ackedRecords.filter((r) => !present.has(r));
  const once = new Set<string>();
  const duplicatedInputs: string[] = [];
  for (const r of inputRecords.map((x) => `${x.key}=${x.value.toString()}`)) { if (once.has(r)) duplicatedInputs.push(r); once.add(r); }
  const storeCounts = () => {
    try {
      const store = app.store<string, number>('counts');
      return new Map([...inputs.keys()].map((k) => [k, store.get(k)]));
    } catch {
      return undefined; // stores closed during a rebalance
    }
  };
  let counts = new Map<string, number | undefined>();
  await waitFor('every input counted', () => {
    const c = storeCounts();
    if (c) counts = c;
    return app.state === 'RUNNING' && !!c && [...inputs].every(([k, n]) => (c.get(k) ?? 0) >= n);
  }, 60_000).catch((err: unknown) => log(String(err)));
  await sleep(1500); // anything past the expected count would show now
  counts = storeCounts() ?? counts;
  const processedOutputs = await readAll(cluster.brokers, output);
  await app.close();

  const seen = new Map<string, Set<number>>();
  for (const r of processedOutputs) {
    const set = seen.get(r.key) ?? new Set<number>();
    set.add(I.deserialize(r.value)!);
    seen.set(r.key, set);
  }
  const missingOutputs = new Map<string, number[]>();
  for (const [k, n] of inputs) {
    const missing = [];
    for (let c = 1; c <= n; c++) if (!seen.get(k)?.has(c)) missing.push(c);
    if (missing.length) missingOutputs.set(k, missing);
  }
  return { inputs, acked, lostAcked, duplicatedInputs, failedSends, counts, missingOutputs, outputRecords: processedOutputs.length, states, bounced };
}
