// The embedded broker against Apache Kafka under Kafka's own perf tools (ProducerPerformance,
// ConsumerPerformance from .kafka/libs, one JVM per run): records/s of each, interleaved, the
// order flipped every round, medians; the embedded broker runs in a child process, as Kafka does.
// Run: node --import tsx bench/broker-perf.ts [--quick] [--brokers host:port] [--records 200000] [--size 100] [--rounds 2]
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../scripts/kafka/provision.ts';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { consumerPerSecond, producerPerSecond } from './kafka-perf-output.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const self = fileURLToPath(import.meta.url);
const JVM = ['-Xmx512m', '-cp', `${defaultLibsDir}/*`];
const { values: flags } = parseCli({
  script: 'bench/broker-perf.ts',
  summary: "Records/s of the embedded broker and of Apache Kafka under Kafka's own ProducerPerformance and\nConsumerPerformance (one JVM per run), interleaved, order flipped every round; medians.",
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    serve: { type: 'boolean', description: 'internal: run the embedded broker as the child process this script forks' },
    records: { type: 'string', value: 'count', description: 'records per perf-tool run', defaultText: '200000; 50000 with --quick' },
    size: { type: 'string', value: 'count', description: 'record size in bytes', defaultText: '100' },
    rounds: { type: 'string', value: 'count', description: 'rounds (each runs both brokers)', defaultText: '2' },
  },
  examples: ['node --import tsx bench/broker-perf.ts --quick --rounds 1'],
});
const log = (line: string) => console.error(line);

function java(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), [...JVM, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}: ${err.slice(-1000)}`))));
  });
}

if (flags.serve) {
  const { startBroker } = await import('../lib/broker/server.ts');
  const broker = await startBroker({ port: 0 });
  process.send!({ address: broker.brokers[0] });
  process.on('disconnect', () => void broker.stop().then(() => process.exit(0)));
} else {
  const records = Number(flags.records ?? (flags.quick ? 50_000 : 200_000)), size = Number(flags.size ?? 100), rounds = Number(flags.rounds ?? 2);
  const kafka = flags.brokers ? undefined : await startKafka({ log });
  const child = fork(self, ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const embedded = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { address: string }).address)));
  const targets = { kafka: flags.brokers?.split(',')[0] ?? kafka!.brokers[0]!, embedded } as const;
  const results = { kafka: { produce: [] as number[], consume: [] as number[] }, embedded: { produce: [] as number[], consume: [] as number[] } };
  try {
    for (let round = 0; round < rounds; round++) {
      const order = (round % 2 === 0 ? ['kafka', 'embedded'] : ['embedded', 'kafka']) as (keyof typeof targets)[];
      for (const name of order) {
        const topic = `perf-${Date.now().toString(36)}-${round}-${name}`;
        const admin = new kafkajs.Kafka({ brokers: [targets[name]], logLevel: kafkajs.logLevel.NOTHING }).admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await admin.disconnect();
        const p = producerPerSecond(await java(['org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(records), '--record-size', String(size),
          '--throughput', '-1', '--producer-props', `bootstrap.servers=${targets[name]}`, 'acks=1']));
        const c = consumerPerSecond(await java(['org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', targets[name], '--topic', topic, '--messages', String(records), '--timeout', '120000']));
        results[name].produce.push(p);
        results[name].consume.push(c);
        log(`[bench] round ${round + 1} ${name}: produce ${p.toFixed(0)} rec/s, consume ${c.toFixed(0)} rec/s`);
      }
    }
  } finally {
    child.disconnect();
    await kafka?.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const group = 'embedded broker vs Apache Kafka, Kafka perf tools';
  const note = `${records} × ${size} B, 1 partition, medians of ${rounds} rounds`;
  const figures: Figure[] = (['produce', 'consume'] as const).map((op) => ({
    group, name: `${op === 'produce' ? 'ProducerPerformance acks=1' : 'ConsumerPerformance'}`, unit: 'rec/s',
    ours: median(results.embedded[op]), peer: { name: 'Apache Kafka', value: median(results.kafka[op]) }, note,
  }));
  emitFigures(figures);
}
