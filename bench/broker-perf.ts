// Kafka 4.4's own perf tools (ProducerPerformance, ConsumerPerformance from .kafka/libs) against
// real Kafka (MODELSTREAM_KAFKA_BROKERS) and the embedded broker (a child process), interleaved,
// with the order flipped every round; prints each run, the medians and the ratios embedded/Kafka
// and the load average before and after (the tools share the machine with the brokers).
//   MODELSTREAM_KAFKA_BROKERS=host:port node --import tsx bench/broker-perf.ts [--records 1000000] [--size 100] [--rounds 3]
import { fork, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../scripts/kafka/provision.ts';

const self = fileURLToPath(import.meta.url);
const JVM = ['-Xmx512m', '-cp', `${defaultLibsDir}/*`];

function java(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), [...JVM, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}: ${err.slice(-1000)}`))));
  });
}

/** records/s from ProducerPerformance's summary line ("N records sent, X records/sec (Y MB/sec), ..."). */
async function produce(bootstrap: string, topic: string, records: number, size: number): Promise<number> {
  const out = await java(['org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(records), '--record-size', String(size),
    '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=1']);
  const summary = out.trim().split('\n').at(-1)!;
  const m = /records sent, ([\d.]+) records\/sec/.exec(summary);
  if (!m) throw new Error(`no summary in ProducerPerformance output: ${summary}`);
  return Number(m[1]);
}

/** records/s from ConsumerPerformance's CSV line (start, end, MB, MB/s, count, count/s, ...). */
async function consume(bootstrap: string, topic: string, records: number): Promise<number> {
  const out = await java(['org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(records), '--timeout', '120000']);
  const line = out.trim().split('\n').at(-1)!.split(',').map((s) => s.trim());
  const rate = Number(line[5]);
  if (!Number.isFinite(rate)) throw new Error(`no rate in ConsumerPerformance output: ${out}`);
  return rate;
}

async function serve(): Promise<void> {
  const { startBroker } = await import('../lib/broker/server.ts');
  const broker = await startBroker({ port: 0 });
  process.send!({ address: broker.brokers[0] });
  process.on('disconnect', () => void broker.stop().then(() => process.exit(0)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    serve: { type: 'boolean', default: false }, records: { type: 'string', default: '1000000' },
    size: { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' },
  } });
  if (values.serve) return serve();
  const real = process.env.MODELSTREAM_KAFKA_BROKERS?.split(',')[0];
  if (!real) throw new Error('set MODELSTREAM_KAFKA_BROKERS to a real Kafka (scripts/kafka/kafka.ts start)');
  const records = Number(values.records), size = Number(values.size), rounds = Number(values.rounds);
  const child = fork(self, ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const embedded = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { address: string }).address)));
  const targets = { kafka: real, embedded } as const;
  const results: Record<keyof typeof targets, { produce: number[]; consume: number[] }> = { kafka: { produce: [], consume: [] }, embedded: { produce: [], consume: [] } };
  console.log(`${records} x ${size} B, ${rounds} rounds; load average before: ${load()}`);
  try {
    for (let round = 0; round < rounds; round++) {
      const order = (round % 2 === 0 ? ['kafka', 'embedded'] : ['embedded', 'kafka']) as (keyof typeof targets)[];
      for (const name of order) {
        const topic = `perf-${Date.now().toString(36)}-${round}-${name}`;
        const admin = new kafkajs.Kafka({ brokers: [targets[name]], logLevel: kafkajs.logLevel.NOTHING }).admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await admin.disconnect();
        const p = await produce(targets[name], topic, records, size);
        const c = await consume(targets[name], topic, records);
        results[name].produce.push(p);
        results[name].consume.push(c);
        console.log(`round ${round + 1} ${name.padEnd(8)} produce ${p.toFixed(0).padStart(8)} rec/s  consume ${c.toFixed(0).padStart(8)} rec/s  (load ${load()})`);
      }
    }
  } finally {
    child.disconnect();
  }
  const k = results.kafka, e = results.embedded;
  console.log(`median produce: kafka ${median(k.produce).toFixed(0)}, embedded ${median(e.produce).toFixed(0)} rec/s; embedded/kafka ${(median(e.produce) / median(k.produce)).toFixed(2)}`);
  console.log(`median consume: kafka ${median(k.consume).toFixed(0)}, embedded ${median(e.consume).toFixed(0)} rec/s; embedded/kafka ${(median(e.consume) / median(k.consume)).toFixed(2)}`);
  console.log(`per-round ratios produce ${e.produce.map((x, i) => (x / k.produce[i]!).toFixed(2)).join(' ')}, consume ${e.consume.map((x, i) => (x / k.consume[i]!).toFixed(2)).join(' ')}`);
  console.log(`load average after: ${load()}`);
}

await main();
