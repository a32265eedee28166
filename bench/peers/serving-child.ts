// One instance of a serving topology (naive, kv or custom) in its own process, so that a
// benchmark can read its CPU time and peak RSS from /proc. With --port it also answers the
// serving queries (/state/value, /stores/...) and prints "query <url>". With --threads N the
// topology runs on N worker stream threads (as `serve --threads`), and this thread only serves
// queries; without it, scoring and queries share this thread's event loop.
// Flags: --topology --brokers --application-id --state-dir [--commit-interval-ms] [--port] [--threads N]
//        --data-topic --models-topic --results-topic. Prints "state RUNNING"; closes on SIGTERM
//        and prints "processed N".
import { parseArgs } from 'node:util';
import { KafkaStreams, ThreadedStreams, type StreamsConfig } from '../../lib/index.ts';
import { buildServingTopology, type TopologyKind } from '../../topologies/index.ts';
import { openServingServer, type ServingServer } from '../../topologies/http/server.ts';
import { threadedServingReader } from '../../topologies/serving/threads.ts';
import { traceKafkajs } from './kafkajs-trace.ts';

// MODELSTREAM_BENCH_TRACE=DIR: kafkajs round trips and batch times of this server (see kafkajs-trace.ts).
const trace = process.env.MODELSTREAM_BENCH_TRACE ? traceKafkajs(process.env.MODELSTREAM_BENCH_TRACE) : undefined;

const { values: flags } = parseArgs({
  options: {
    topology: { type: 'string', default: 'kv' }, brokers: { type: 'string' }, 'application-id': { type: 'string' },
    'state-dir': { type: 'string' }, 'commit-interval-ms': { type: 'string' }, port: { type: 'string' }, threads: { type: 'string' },
    'data-topic': { type: 'string' }, 'models-topic': { type: 'string' }, 'results-topic': { type: 'string' },
  },
});
const kind = flags.topology as TopologyKind;
const topics = { data: flags['data-topic'] ?? 'models_data', models: flags['models-topic'] ?? 'models_models', results: flags['results-topic'] ?? 'models_results' };
const server: ServingServer | undefined = flags.port === undefined ? undefined : await openServingServer({ host: '127.0.0.1', port: Number(flags.port) });
const config: StreamsConfig = {
  applicationId: flags['application-id'] ?? `${kind}-bench`,
  brokers: (flags.brokers ?? 'localhost:9092').split(','),
  ...(flags['state-dir'] ? { stateDir: flags['state-dir'] } : {}),
  ...(flags['commit-interval-ms'] ? { commitIntervalMs: Number(flags['commit-interval-ms']) } : {}),
  ...(server ? { applicationServer: server.applicationServer } : {}),
  logLevel: 'error',
  closeOnSignals: false,
};
let app: KafkaStreams | ThreadedStreams;
let closeModels = () => {};
if (flags.threads !== undefined) {
  const streams = ThreadedStreams.fromModule(
    { url: new URL('../../topologies/serving/threads.ts', import.meta.url).href, export: 'servingThread', args: { kind, topics } },
    { ...config, numStreamThreads: Number(flags.threads) },
  );
  server?.attach({ streams, reader: threadedServingReader(streams, kind), storeNames: [`${kind}-models`, `${kind}-stats`] });
  app = streams;
} else {
  const serving = buildServingTopology(kind, { topics, log: () => {} });
  const streams = new KafkaStreams(serving.topology, config);
  server?.attach({ streams, serving });
  if (trace) {
    // Time between two commits of a task: how long a record can wait for the batch in hand.
    const last = new Map<string, number>();
    streams.onCommit((task) => {
      const now = Date.now();
      const before = last.get(task);
      if (before !== undefined) trace.sample('one task\'s commit to its next', now - before);
      last.set(task, now);
    });
  }
  closeModels = () => serving.models.close();
  app = streams;
}
app.onStateChange((next) => console.log(`state ${next}`));
// "processed N" at exit: the records this instance's tasks processed, which a scaling run adds up.
process.once('SIGTERM', () => {
  void (server?.close() ?? Promise.resolve()).then(() => app.close())
    .finally(() => { console.log(`processed ${app.metrics().processed}`); trace?.write(); closeModels(); process.exit(0); });
});
if (server) console.log(`query ${server.url}`);
await app.start();
