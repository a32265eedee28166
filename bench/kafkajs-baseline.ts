// The reference peer for the runtime benchmarks (issue 3): what plain kafkajs reaches on the
// same broker in the same run. Produce: batches of messages, acks -1, a few sends in flight.
// Consume: one group member, eachBatch, counting until every message has been seen (best of 2).
//   node --import tsx bench/kafkajs-baseline.ts [--brokers host:port,...] [--messages 200000]
//        [--value-bytes 100] [--partitions 4] [--batch 1000]
// Without --brokers it starts a real Apache Kafka itself (scripts/kafka) and stops it after.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import type { Kafka, Message } from 'kafkajs';
import { startKafka } from '../scripts/kafka/kafka.ts';

export interface BaselineOptions {
  readonly brokers: string[];
  readonly messages?: number;
  readonly valueBytes?: number;
  readonly partitions?: number;
  /** Messages per producer.send() call. */
  readonly batchSize?: number;
  /** producer.send() calls in flight at once. */
  readonly inFlight?: number;
  /** Consume passes (each a new group from the start); the fastest counts. */
  readonly consumeRounds?: number;
  readonly log?: (line: string) => void;
}

export interface BaselineResult {
  readonly messages: number;
  readonly valueBytes: number;
  readonly partitions: number;
  readonly produceMsgsPerSec: number;
  readonly produceMBPerSec: number;
  readonly consumeMsgsPerSec: number;
  readonly consumeMBPerSec: number;
  /** From consumer.run() to the first batch: group join and first fetch, not in the rate. */
  readonly consumeStartupMs: number;
}

const MB = 1024 * 1024;

interface ConsumeRound { readonly seconds: number; readonly startupMs: number }

/** One group member reads the topic from the start; timed from its first batch to the last message. */
async function consumeOnce(kafka: Kafka, topic: string, groupId: string, messages: number): Promise<ConsumeRound> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    let firstBatchAt: bigint | undefined;
    let resolveDone!: (at: bigint) => void;
    const done = new Promise<bigint>((resolve) => (resolveDone = resolve));
    const runStart = process.hrtime.bigint();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        firstBatchAt ??= process.hrtime.bigint();
        seen += batch.messages.length;
        if (seen >= messages) resolveDone(process.hrtime.bigint());
      },
    });
    const end = await done;
    const first = firstBatchAt ?? runStart;
    return { seconds: Number(end - first) / 1e9, startupMs: Math.round(Number(first - runStart) / 1e6) };
  } finally {
    await consumer.disconnect();
  }
}

export async function kafkajsBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const messages = options.messages ?? 200_000;
  const valueBytes = options.valueBytes ?? 100;
  const partitions = options.partitions ?? 4;
  const batchSize = options.batchSize ?? 1000;
  const inFlight = options.inFlight ?? 4;
  const consumeRounds = options.consumeRounds ?? 2;
  const log = options.log ?? ((line: string) => console.error(line));
  const kafka = new kafkajs.Kafka({ brokers: options.brokers, clientId: 'modelstream-baseline', logLevel: kafkajs.logLevel.WARN });
  const topic = `bench-kafkajs-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });

    // Built before the clock starts: we measure the client and broker, not Buffer allocation.
    const value = randomBytes(valueBytes);
    const batches: Message[][] = [];
    for (let start = 0; start < messages; start += batchSize) {
      const count = Math.min(batchSize, messages - start);
      batches.push(Array.from({ length: count }, (_, i) => ({ key: `key-${(start + i) % 10_000}`, value })));
    }

    const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
    log(`[baseline] producing ${messages} x ${valueBytes} B to ${partitions} partitions (batches of ${batchSize}, acks -1) ...`);
    const produceStart = process.hrtime.bigint();
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < batches.length; i = next++) {
        await producer.send({ topic, acks: -1, messages: batches[i] ?? [] });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, sender));
    const produceSec = Number(process.hrtime.bigint() - produceStart) / 1e9;
    await producer.disconnect();

    // Best of a few rounds, each a new group reading from the start: one round takes well
    // under a second, so a busy neighbour on a 2-core machine would otherwise decide it.
    log(`[baseline] consuming with eachBatch (best of ${consumeRounds}) ...`);
    let best: ConsumeRound | undefined;
    for (let round = 0; round < consumeRounds; round++) {
      const r = await consumeOnce(kafka, topic, `${topic}-group-${round}`, messages);
      if (!best || r.seconds < best.seconds) best = r;
    }
    const consumeSec = best?.seconds ?? NaN;
    const megabytes = (messages * valueBytes) / MB;
    return {
      messages, valueBytes, partitions,
      produceMsgsPerSec: Math.round(messages / produceSec),
      produceMBPerSec: Number((megabytes / produceSec).toFixed(2)),
      consumeMsgsPerSec: Math.round(messages / consumeSec),
      consumeMBPerSec: Number((megabytes / consumeSec).toFixed(2)),
      consumeStartupMs: best?.startupMs ?? NaN,
    };
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string' },
      messages: { type: 'string', default: '200000' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '4' },
      batch: { type: 'string', default: '1000' },
    },
  });
  const own = values.brokers ? undefined : await startKafka();
  try {
    const brokers = values.brokers?.split(',') ?? own?.brokers ?? [];
    const r = await kafkajsBaseline({
      brokers,
      messages: Number(values.messages),
      valueBytes: Number(values['value-bytes']),
      partitions: Number(values.partitions),
      batchSize: Number(values.batch),
    });
    console.log(`kafkajs produce: ${r.produceMsgsPerSec.toLocaleString('en')} msg/s, ${r.produceMBPerSec} MB/s (acks -1, ${r.messages} x ${r.valueBytes} B, ${r.partitions} partitions)`);
    console.log(`kafkajs consume: ${r.consumeMsgsPerSec.toLocaleString('en')} msg/s, ${r.consumeMBPerSec} MB/s (eachBatch; group join + first fetch ${r.consumeStartupMs} ms, not counted)`);
    console.log(JSON.stringify({ bench: 'kafkajs-baseline', ...r }));
  } finally {
    await own?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
