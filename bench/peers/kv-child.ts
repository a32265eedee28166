// Our kv serving topology as one KafkaStreams instance in its own process, so that
// bench/throughput.ts can read this process's CPU time and peak RSS from /proc.
// Flags: --brokers --application-id --state-dir [--commit-interval-ms] --data-topic
// --models-topic --results-topic [--threads N] [--max-records-per-commit N]. Prints "state RUNNING" when running; closes on SIGTERM.
import { parseArgs } from 'node:util';
import { KafkaStreams, ThreadedStreams } from '../../lib/index.ts';
import { buildKvTopology } from '../../topologies/kv.ts';

const { values: flags } = parseArgs({
  options: {
    brokers: { type: 'string' }, 'application-id': { type: 'string' }, 'state-dir': { type: 'string' },
    'commit-interval-ms': { type: 'string' }, 'data-topic': { type: 'string' }, 'models-topic': { type: 'string' }, 'results-topic': { type: 'string' },
    threads: { type: 'string' }, 'max-records-per-commit': { type: 'string' },
  },
});
const topics = { data: flags['data-topic'] ?? 'models_data', models: flags['models-topic'] ?? 'models_models', results: flags['results-topic'] ?? 'models_results' };
const threads = Number(flags.threads ?? 1);
const config = {
  applicationId: flags['application-id'] ?? 'kv-bench',
  brokers: (flags.brokers ?? 'localhost:9092').split(','),
  ...(flags['state-dir'] ? { stateDir: flags['state-dir'] } : {}),
  ...(flags['commit-interval-ms'] ? { commitIntervalMs: Number(flags['commit-interval-ms']) } : {}),
  ...(flags['max-records-per-commit'] ? { maxRecordsPerCommit: Number(flags['max-records-per-commit']) } : {}),
  logLevel: 'error' as const,
  closeOnSignals: false,
};
// Several threads: each builds the kv topology from the serving thread module, as `serve --threads` does.
const topology = threads > 1 ? undefined : buildKvTopology({ topics, log: () => {} });
const app = topology
  ? new KafkaStreams(topology.topology, config)
  : ThreadedStreams.fromModule({ url: new URL('../../topologies/serving/threads.ts', import.meta.url).href, export: 'servingThread', args: { kind: 'kv', topics } }, { ...config, numStreamThreads: threads });
app.onStateChange((next) => console.log(`state ${next}`));
process.once('SIGTERM', () => {
  void app.close().finally(() => { topology?.models.close(); process.exit(0); });
});
await app.start();
