// The embedded broker under kafkajs: produce and consume throughput (100 B and 1 KiB values),
// per-request latency of sequential sends (1 and 1000 messages, sends interleaved across the
// brokers), and the broker's RSS after 1 million messages. The broker runs in a child
// process, as real Kafka does, so client and broker do not share one event loop. With
// MODELSTREAM_KAFKA_BROKERS set (or --real, which starts scripts/kafka), the same
// measurements run against real Apache Kafka in the same run.
//   node --import tsx bench/broker.ts [--messages 100000] [--rss-messages 1000000] [--real]
// (1 KiB runs use half the messages; each broker gets two rounds, order flipped, best counts.)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import { kafkajsBaseline, type BaselineResult } from './kafkajs-baseline.ts';

const self = fileURLToPath(import.meta.url);

interface ChildBroker { readonly brokers: string[]; rss(): Promise<number>; cpuSeconds(): Promise<number>; stop(): Promise<void> }

/** Forks this file in --serve mode: an embedded broker that answers RSS queries over IPC. */
async function forkBroker(): Promise<ChildBroker> {
  const child: ChildProcess = fork(self, ['--serve'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const address = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { address: string }).address));
    child.once('exit', (code) => reject(new Error(`broker child exited with ${code}`)));
  });
  return {
    brokers: [address],
    rss: () => new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as { rss: number }).rss));
      child.send('rss');
    }),
    cpuSeconds: () => new Promise<number>((resolve) => {
      child.once('message', (m) => resolve((m as { cpuSeconds: number }).cpuSeconds));
      child.send('stats');
    }),
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function serve(): Promise<void> {
  const { startBroker } = await import('../lib/broker/server.ts');
  const broker = await startBroker({ port: 0 });
  process.on('message', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const cpu = process.cpuUsage();
    process.send?.({ rss: process.memoryUsage().rss, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  });
  process.on('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
  process.send?.({ address: broker.brokers[0] });
}

/** Produces `messages` values of `valueBytes` as fast as kafkajs can (batches of 5000, 4 in flight). */
async function fill(brokers: string[], messages: number, valueBytes: number): Promise<number> {
  const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.WARN, clientId: 'bench-broker-fill' });
  const topic = `bench-rss-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = randomBytes(valueBytes);
  const batch = Array.from({ length: 5000 }, (_, i) => ({ key: `k${i}`, value }));
  const started = Date.now();
  let sent = 0;
  const sender = async () => {
    while (sent < messages) {
      const n = Math.min(batch.length, messages - sent);
      sent += n;
      await producer.send({ topic, acks: 1, messages: n === batch.length ? batch : batch.slice(0, n) });
    }
  };
  await Promise.all([sender(), sender(), sender(), sender()]);
  await producer.disconnect();
  return (Date.now() - started) / 1000;
}

interface LatencyTarget { readonly name: string; readonly brokers: string[] }
interface Latency { readonly broker: string; readonly messages: number; readonly valueBytes: number; readonly medianMs: number; readonly p90Ms: number }

/**
 * Median and p90 of one sequential producer.send (acks -1) of `count` messages: request
 * latency, not throughput. Sends alternate between the brokers one by one, so a busy
 * neighbour or the client's GC weighs on every broker alike.
 */
async function sendLatency(targets: readonly LatencyTarget[], count: number, valueBytes: number, sends: number): Promise<Latency[]> {
  const value = randomBytes(valueBytes);
  const messages = Array.from({ length: count }, (_, i) => ({ key: `key-${i}`, value }));
  const open: { name: string; topic: string; admin: kafkajs.Admin; producer: kafkajs.Producer; ms: number[] }[] = [];
  try {
    for (const t of targets) {
      const kafka = new kafkajs.Kafka({ brokers: t.brokers, logLevel: kafkajs.logLevel.WARN, clientId: 'bench-broker-latency' });
      const topic = `bench-latency-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const admin = kafka.admin();
      await admin.connect();
      const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
      open.push({ name: t.name, topic, admin, producer, ms: [] });
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
      await producer.connect();
    }
    for (let i = -10; i < sends; i++) { // the first ten warm up the client
      for (const o of open) {
        const start = process.hrtime.bigint();
        await o.producer.send({ topic: o.topic, acks: -1, messages });
        if (i >= 0) o.ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    return open.map(({ name, ms }) => {
      ms.sort((a, b) => a - b);
      return { broker: name, messages: count, valueBytes, medianMs: ms[Math.floor(ms.length / 2)]!, p90Ms: ms[Math.floor(ms.length * 0.9)]! };
    });
  } finally {
    for (const o of open) {
      await o.producer.disconnect();
      await o.admin.deleteTopics({ topics: [o.topic] }).catch(() => {});
      await o.admin.disconnect();
    }
  }
}

function line(label: string, r: BaselineResult): string {
  return `${label.padEnd(9)} ${String(r.valueBytes).padStart(5)} B  produce ${r.produceMsgsPerSec.toLocaleString('en').padStart(9)} msg/s (${r.produceMBPerSec} MB/s)` +
    `  consume ${r.consumeMsgsPerSec.toLocaleString('en').padStart(9)} msg/s (${r.consumeMBPerSec} MB/s)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '100000' },
      'rss-messages': { type: 'string', default: '1000000' },
      real: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
    },
  });
  if (values.serve) return serve();
  const messages = Number(values.messages);
  const quiet = () => {};
  const results: { broker: string; result: BaselineResult }[] = [];
  const latencies: Latency[] = [];

  let real: { brokers: string[]; stop?: () => Promise<unknown> } | undefined;
  if (process.env.MODELSTREAM_KAFKA_BROKERS) real = { brokers: process.env.MODELSTREAM_KAFKA_BROKERS.split(',') };
  else if (values.real) {
    const { startKafka } = await import('../scripts/kafka/kafka.ts');
    real = await startKafka();
  }

  try {
    // Two rounds per broker, alternating, best of each: the client's JIT warm-up and a busy
    // neighbour on a shared machine would otherwise favour whichever broker runs second.
    for (const valueBytes of [100, 1024]) {
      const n = valueBytes > 100 ? Math.ceil(messages / 2) : messages;
      const best: Record<string, BaselineResult> = {};
      const keep = (name: string, r: BaselineResult) => {
        const b = best[name];
        best[name] = !b ? r : {
          ...r,
          produceMsgsPerSec: Math.max(b.produceMsgsPerSec, r.produceMsgsPerSec), produceMBPerSec: Math.max(b.produceMBPerSec, r.produceMBPerSec),
          consumeMsgsPerSec: Math.max(b.consumeMsgsPerSec, r.consumeMsgsPerSec), consumeMBPerSec: Math.max(b.consumeMBPerSec, r.consumeMBPerSec),
        };
      };
      const embedded = await forkBroker();
      try {
        const runEmbedded = async () => {
          const cpuBefore = await embedded.cpuSeconds();
          const started = Date.now();
          keep('embedded', await kafkajsBaseline({ brokers: embedded.brokers, messages: n, valueBytes, log: quiet, consumeRounds: 1 }));
          const busy = (await embedded.cpuSeconds()) - cpuBefore;
          console.log(`embedded broker process: ${busy.toFixed(1)} s CPU over ${((Date.now() - started) / 1000).toFixed(1)} s of produce + consume`);
        };
        const runKafka = async () => {
          if (real) keep('kafka', await kafkajsBaseline({ brokers: real.brokers, messages: n, valueBytes, log: quiet, consumeRounds: 1 }));
        };
        // The order flips each round (E K, K E): what ran just before (the other broker's
        // consume, the client's GC debt) weighs on whichever broker goes next.
        for (let round = 0; round < 2; round++) {
          for (const run of round % 2 === 0 ? [runEmbedded, runKafka] : [runKafka, runEmbedded]) await run();
        }
      } finally {
        await embedded.stop();
      }
      for (const [broker, result] of Object.entries(best)) {
        results.push({ broker, result });
        console.log(line(broker, result));
      }
    }

    // Sequential sends of 1 and 1000 messages: where produce time goes per request.
    const embeddedForLatency = await forkBroker();
    try {
      const targets: LatencyTarget[] = [{ name: 'embedded', brokers: embeddedForLatency.brokers }, ...(real ? [{ name: 'kafka', brokers: real.brokers }] : [])];
      for (const [count, valueBytes, sends] of [[1, 100, 300], [1000, 100, 60], [1000, 1024, 40]] as const) {
        for (const l of await sendLatency(targets, count, valueBytes, sends)) {
          latencies.push(l);
          console.log(`${l.broker.padEnd(9)} send of ${String(count).padStart(4)} x ${String(valueBytes).padStart(4)} B: median ${l.medianMs.toFixed(2)} ms, p90 ${l.p90Ms.toFixed(2)} ms`);
        }
      }
    } finally {
      await embeddedForLatency.stop();
    }

    const rssMessages = Number(values['rss-messages']);
    const embedded = await forkBroker();
    try {
      const idle = await embedded.rss();
      const seconds = await fill(embedded.brokers, rssMessages, 100);
      const full = await embedded.rss();
      console.log(`embedded  RSS ${(idle / 2 ** 20).toFixed(0)} MiB idle, ${(full / 2 ** 20).toFixed(0)} MiB after ${rssMessages.toLocaleString('en')} x 100 B messages (produced in ${seconds.toFixed(1)} s)`);
      console.log(JSON.stringify({ bench: 'broker', results, latencies, rss: { idleBytes: idle, afterBytes: full, messages: rssMessages } }));
    } finally {
      await embedded.stop();
    }
  } finally {
    await real?.stop?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
