// Consumer groups: how long kafkajs takes to (re)balance a group of two over a 4-partition
// topic on the embedded broker, beside real Kafka (--brokers) in the same run, and how fast the
// embedded coordinator stores commits in a data dir. Medians of --rounds.
// Run: node --import tsx bench/groups.ts [--quick] [--brokers host:port] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker } from '../lib/broker/server.ts';
import { GroupCoordinator } from '../lib/broker/groups/coordinator.ts';
import { FileOffsetStore } from '../lib/broker/groups/offset-store.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/groups.ts',
  summary: 'Consumer groups: how long kafkajs takes to (re)balance a group of two over a 4-partition topic on\nthe embedded broker (and on real Kafka with --brokers), and commits/s of the embedded coordinator\nin a data dir. Medians of --rounds.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'also measure this Apache Kafka', defaultText: 'none' },
    rounds: { type: 'string', value: 'count', description: 'rounds per measurement', defaultText: '3; 1 with --quick' },
  },
  examples: ['node --import tsx bench/groups.ts --quick --brokers localhost:9092'],
});
const ROUNDS = Number(flags.rounds ?? (flags.quick ? 1 : 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

async function rebalanceRound(kafka: Kafka, topic: string, groupId: string): Promise<{ split: number; handover: number }> {
  const assigned = new Map<Consumer, number>();
  const start = async () => {
    const c = kafka.consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    c.on(c.events.GROUP_JOIN, (e) => assigned.set(c, e.payload.memberAssignment[topic]?.length ?? 0));
    await c.connect();
    await c.subscribe({ topic });
    await c.run({ eachMessage: async () => {} });
    return c;
  };
  const a = await start();
  await until(() => assigned.get(a) === 4);
  let t = performance.now();
  const b = await start();
  await until(() => assigned.get(a) === 2 && assigned.get(b) === 2);
  const split = performance.now() - t;
  t = performance.now();
  await b.disconnect();
  await until(() => assigned.get(a) === 4);
  const handover = performance.now() - t;
  await a.disconnect();
  return { split, handover };
}

async function commitRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-groups-bench-'));
  try {
    const coordinator = new GroupCoordinator({ offsetStore: new FileOffsetStore(dir) });
    const partitions = [0, 1, 2, 3].map((partition) => ({ topic: 't', partition, offset: 0, leaderEpoch: -1, metadata: null }));
    const n = 5000;
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      await coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, partitions: partitions.map((p) => ({ ...p, offset: i })) });
    }
    const ms = performance.now() - t;
    await coordinator.close();
    return (n / ms) * 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rounds(brokers: string[]): Promise<{ split: number; handover: number }> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-groups-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
  await admin.disconnect();
  const done = [];
  for (let i = 0; i < ROUNDS; i++) done.push(await rebalanceRound(kafka, topic, `${topic}-${i}`));
  return { split: median(done.map((r) => r.split)), handover: median(done.map((r) => r.handover)) };
}

const broker = await startBroker({ port: 0 });
let embedded: { split: number; handover: number };
try {
  embedded = await rounds(broker.brokers);
} finally {
  await broker.stop();
}
const real = flags.brokers ? await rounds(flags.brokers.split(',')) : undefined;
const group = 'consumer group rebalance, kafkajs, 2 members, 4 partitions';
const note = `heartbeat 300 ms, medians of ${ROUNDS} rounds`;
const figures: Figure[] = [
  { group, name: 'second member joins: both hold 2 partitions', unit: 'ms', ours: embedded.split, ...(real ? { peer: { name: 'Apache Kafka', value: real.split } } : {}), note },
  { group, name: 'one member leaves: the other holds all 4', unit: 'ms', ours: embedded.handover, ...(real ? { peer: { name: 'Apache Kafka', value: real.handover } } : {}), note },
  { group: 'embedded group coordinator', name: 'offset commits to a data dir, 4 partitions each', unit: 'commits/s', ours: await commitRate() },
];
emitFigures(figures);
