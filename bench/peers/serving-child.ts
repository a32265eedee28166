// One instance of a serving topology (naive, kv or custom) in its own process, so that a
// benchmark can read its CPU time and peak RSS from /proc. With --port it also answers the
// serving queries (/state/value, /stores/...) and prints "query <url>".
// Flags: --topology --brokers --application-id --state-dir [--commit-interval-ms] [--port]
//        --data-topic --models-topic --results-topic. Prints "state RUNNING"; closes on SIGTERM.
import { parseArgs } from 'node:util';
import { KafkaStreams } from '../../lib/index.ts';
import { buildServingTopology, type TopologyKind } from '../../topologies/index.ts';
import { openServingServer, type ServingServer } from '../../topologies/http/server.ts';

const { values: flags } = parseArgs({
  options: {
    topology: { type: 'string', default: 'kv' }, brokers: { type: 'string' }, 'application-id': { type: 'string' },
    'state-dir': { type: 'string' }, 'commit-interval-ms': { type: 'string' }, port: { type: 'string' },
    'data-topic': { type: 'string' }, 'models-topic': { type: 'string' }, 'results-topic': { type: 'string' },
  },
});
const topics = { data: flags['data-topic'] ?? 'models_data', models: flags['models-topic'] ?? 'models_models', results: flags['results-topic'] ?? 'models_results' };
const serving = buildServingTopology(flags.topology as TopologyKind, { topics, log: () => {} });
const server: ServingServer | undefined = flags.port === undefined ? undefined : await openServingServer({ host: '127.0.0.1', port: Number(flags.port) });
const app = new KafkaStreams(serving.topology, {
  applicationId: flags['application-id'] ?? `${flags.topology}-bench`,
  brokers: (flags.brokers ?? 'localhost:9092').split(','),
  ...(flags['state-dir'] ? { stateDir: flags['state-dir'] } : {}),
  ...(flags['commit-interval-ms'] ? { commitIntervalMs: Number(flags['commit-interval-ms']) } : {}),
  ...(server ? { applicationServer: server.applicationServer } : {}),
  logLevel: 'error',
  closeOnSignals: false,
});
server?.attach({ streams: app, serving });
app.onStateChange((next) => console.log(`state ${next}`));
process.once('SIGTERM', () => {
  void (server?.close() ?? Promise.resolve()).then(() => app.close()).finally(() => { serving.models.close(); process.exit(0); });
});
if (server) console.log(`query ${server.url}`);
await app.start();
