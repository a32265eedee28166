// Consumer groups on the embedded broker: how long kafkajs takes to (re)balance a group of
// two over a 4-partition topic, and how fast the coordinator stores commits in a data dir.
// Run: node --import tsx bench/groups.ts [rounds]   (default 3 rounds; medians reported)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker } from '../lib/broker/server.ts';
import { GroupCoordinator } from '../lib/broker/groups/coordinator.ts';
import { FileOffsetStore } from '../lib/broker/groups/offset-store.ts';

const ROUNDS = Number(process.argv[2] ?? 3);
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

const broker = await startBroker({ port: 0 });
try {
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'bench-groups', numPartitions: 4 }] });
  await admin.disconnect();
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await rebalanceRound(kafka, 'bench-groups', `bench-${i}`));
  console.log(`kafkajs, 2 consumers, 4 partitions, heartbeat 300 ms, ${ROUNDS} rounds:`);
  console.log(`  second consumer joins -> both hold 2 partitions: median ${median(rounds.map((r) => r.split)).toFixed(0)} ms`);
  console.log(`  one consumer leaves   -> the other holds all 4:  median ${median(rounds.map((r) => r.handover)).toFixed(0)} ms`);
} finally {
  await broker.stop();
}
console.log(`coordinator commits to a data dir (4 partitions each): ${Math.round(await commitRate()).toLocaleString('en-US')} commits/s`);
