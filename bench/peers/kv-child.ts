// Our kv serving topology as one KafkaStreams instance in its own process, so that
// bench/throughput.ts can read this process's CPU time and peak RSS from /proc.
// Flags: --brokers --application-id --state-dir [--commit-interval-ms] --data-topic
// --models-topic --results-topic. Prints "state RUNNING" when running; closes on SIGTERM.
import { parseArgs } from 'node:util';
import { KafkaStreams } from '../../lib/index.ts';
import { buildKvTopology } from '../../topologies/kv.ts';

const { values: flags } = parseArgs({
  options: {
    brokers: { type: 'string' }, 'application-id': { type: 'string' }, 'state-dir': { type: 'string' },
    'commit-interval-ms': { type: 'string' }, 'data-topic': { type: 'string' }, 'models-topic': { type: 'string' }, 'results-topic': { type: 'string' },
  },
});
const topics = { data: flags['data-topic'] ?? 'models_data', models: flags['models-topic'] ?? 'models_models', results: flags['results-topic'] ?? 'models_results' };
const topology = buildKvTopology({ topics, log: () => {} });
const app = new KafkaStreams(topology.topology, {
  applicationId: flags['application-id'] ?? 'kv-bench',
  brokers: (flags.brokers ?? 'localhost:9092').split(','),
  ...(flags['state-dir'] ? { stateDir: flags['state-dir'] } : {}),
  ...(flags['commit-interval-ms'] ? { commitIntervalMs: Number(flags['commit-interval-ms']) } : {}),
  logLevel: 'error',
  closeOnSignals: false,
});
app.onStateChange((next) => console.log(`state ${next}`));
process.once('SIGTERM', () => {
  void app.close().finally(() => { topology.models.close(); process.exit(0); });
});
await app.start();
