// The query endpoints while the server scores: one kv instance with its query server, fed
// 1,000 WineRecords/s, and 1,000 requests/s offered (open loop: each request leaves on its
// schedule, whether or not the previous ones have answered) to /state/value, then to a store
// lookup (/stores/kv-stats/keys/wine), then to /health (no store: the floor of this client, the
// HTTP stack and the shared cores). Latency from a request's scheduled start to its last byte,
// p50/p99/max. Twice in one run: scoring on the server's event loop, and scoring on one worker
// stream thread (`serve --threads 1`) with the main thread serving queries only.
// Run: node --import tsx bench/queries.ts [--quick] [--brokers host:port] [--seconds 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startKafka } from '../scripts/kafka/kafka.ts';
import { encodeWineRecord } from '../topologies/codecs/messages.ts';
import { wineRecords } from '../test/topologies/fixtures.ts';
import { cpuSeconds, peakRssMiB, startProcess } from './peers/measure.ts';
import { contenderCommand, createTopics, produceModel } from './peers/workload.ts';
import { emitFigures, type Figure } from './table.ts';
import { parseCli } from './cli.ts';

const { values: flags } = parseCli({
  script: 'bench/queries.ts',
  summary: 'Query latency (p50/p99/max) at 1,000 requests/s offered to /state/value, a store lookup and\n/health while one kv instance scores 1,000 records/s; scoring on the event loop, then on a stream thread.',
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka instead of starting one', defaultText: 'start real Kafka here' },
    seconds: { type: 'string', value: 'count', description: 'seconds per endpoint', defaultText: '8; 3 with --quick' },
  },
  examples: ['node --import tsx bench/queries.ts --quick'],
});
const seconds = Number(flags.seconds ?? (flags.quick ? 3 : 8));
const REQUESTS_PER_S = 1000;
const RECORDS_PER_S = 1000;
const log = (line: string) => console.error(line);

interface Latencies { readonly p50: number; readonly p99: number; readonly max: number; readonly ok: number; readonly failed: number }
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Offers `rate` GETs of `url` per second for `ms`, in 1 ms slots. */
async function load(url: URL, rate: number, ms: number): Promise<Latencies> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let issued = 0;
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; issued < due; issued++) {
      const scheduled = start + (issued / rate) * 1000;
      pending.push(get(agent, url).then(
        (status) => { if (status === 200) latencies.push(performance.now() - scheduled); else failed++; },
        () => { failed++; },
      ));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? NaN, ok: latencies.length, failed };
}

const kafka = flags.brokers ? undefined : await startKafka({ log });
const brokers = flags.brokers?.split(',') ?? kafka!.brokers;
type Results = { [endpoint: string]: Latencies };
// The quick run keeps the endpoint with the target and the floor.
const ENDPOINTS = flags.quick ? ['/state/value?dataType=wine', '/health'] : ['/state/value?dataType=wine', '/stores/kv-stats/keys/wine', '/health'];

/** One server (scoring on its event loop, or on `threads` worker threads) under the query load. */
async function runServer(threads: number | undefined): Promise<{ results: Results; cpu: number; rss: number }> {
  const id = `queries-${Date.now().toString(36)}${threads ? `-t${threads}` : ''}`;
  const topics = { data: `${id}-data`, models: `${id}-models`, results: `${id}-results` };
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-queries-'));
  const results: Results = {};
  const producer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).producer();
  let feeding = true;
  let feeder: Promise<void> | undefined;
  const cmd = contenderCommand({ kind: 'ours', topology: 'kv' }, { brokers, applicationId: id, stateDir, topics, port: 0, ...(threads ? { threads } : {}) });
  const proc = startProcess(cmd.command, cmd.args);
  try {
    await createTopics(brokers, [{ topic: topics.data, numPartitions: 2 }, { topic: topics.results, numPartitions: 2 }]);
    await produceModel(brokers, topics.models, 'tree');
    const base = new URL((await proc.waitFor(/^query (\S+)$/m, 60_000))[1]!);
    await proc.waitFor(/^state RUNNING$/m, 120_000);
    await producer.connect();
    const values = wineRecords(2000).map((r) => Buffer.from(encodeWineRecord(r)));
    // 10 records every 10 ms, for as long as the queries run.
    feeder = (async () => {
      let n = 0;
      while (feeding) {
        await producer.send({ topic: topics.data, acks: 1, messages: Array.from({ length: RECORDS_PER_S / 100 }, () => ({ value: values[n++ % values.length]! })) });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    // Until the stats store holds the dataType: the lookups below must find something.
    const lookup = new URL('/stores/kv-stats/keys/wine', base);
    const deadline = Date.now() + 60_000;
    while ((await get(new Agent(), lookup).catch(() => 0)) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await load(new URL('/state/value?dataType=wine', base), 200, 1000); // warm-up
    for (const endpoint of ENDPOINTS) results[endpoint.split('?')[0]!] = await load(new URL(endpoint, base), REQUESTS_PER_S, seconds * 1000);
    for (const [k, v] of Object.entries(results)) log(`[bench] ${threads ? `${threads} stream thread` : 'event loop'} ${k} at ${REQUESTS_PER_S}/s: ${JSON.stringify(v)}`);
    return { results, cpu: cpuSeconds(proc.child.pid!), rss: peakRssMiB(proc.child.pid!) };
  } finally {
    feeding = false;
    await feeder?.catch(() => {});
    await producer.disconnect().catch(() => {});
    await proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const runs: { label: string; run: Awaited<ReturnType<typeof runServer>> }[] = [];
try {
  runs.push({ label: 'scoring on the event loop', run: await runServer(undefined) });
  runs.push({ label: 'scoring on a stream thread', run: await runServer(1) });
} finally {
  await kafka?.stop();
}
const figures: Figure[] = [];
const onLoop = runs[0]!.run.results;
for (const { label, run } of runs) {
  for (const [endpoint, r] of Object.entries(run.results)) {
    const failedNote = r.failed ? { note: `${r.failed} of ${r.failed + r.ok} requests failed or were not 200` } : {};
    for (const q of ['p50', 'p99', 'max'] as const) {
      // On the stream thread, beside the same figure with scoring on the event loop.
      const peer = run.results !== onLoop ? { peer: { name: 'on the event loop', value: onLoop[endpoint]![q] } } : {};
      figures.push({
        group: 'queries at 1,000 req/s while scoring 1,000 rec/s', name: `${endpoint} ${q}, ${label}`, unit: 'ms', ours: r[q], ...peer,
        ...(q === 'p99' && endpoint === '/state/value' ? { target: { max: 5 } } : {}), ...(q === 'p99' ? failedNote : {}),
      });
    }
  }
  figures.push({ group: 'peak RSS per server run', name: `kv with queries, ${label}`, unit: 'MiB', ours: run.rss });
  figures.push({ group: 'CPU per server run', name: `kv with queries, ${label}, ${ENDPOINTS.length * seconds + 1} s of load`, unit: 'CPU s', ours: run.cpu });
}
emitFigures(figures);
