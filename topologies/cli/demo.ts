// `modelstream demo` (`npm start`): the whole application in one process — an embedded broker,
// the topics, the data provider, one serving instance with its query server, and a results reader.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBroker, type RunningBroker } from '../../lib/broker/index.ts';
import { DEFAULT_QUERY_PORT } from '../../lib/query/index.ts';
import { startProvider, type RunningProvider } from '../client/provider.ts';
import { formatResult, startReader, type RunningReader } from '../client/reader.ts';
import type { ServingResult } from '../codecs/messages.ts';
import { DEFAULT_TOPICS } from '../api.ts';
import { BROKERS_HELP, DATA_HELP, GUARANTEE_HELP, PACKAGE_ROOT, brokersFrom, guaranteeFrom, intOption, parseCommand } from './options.ts';
import { descriptorForFile } from '../client/sources.ts';
import { describePlans, providePlans } from './provide.ts';
import { startServingInstance, topologyKindFrom, type ServingInstance } from './serve.ts';
import { stopOnSignals } from './lifecycle.ts';

export const DEMO_USAGE = `Usage: modelstream demo [options]

Runs everything in one process: an embedded Kafka broker (unless --brokers is given), the
three topics, the data provider (records and a new model every --model-interval seconds),
one serving instance with its query server, and a reader that shows the latest result.
Stop it with Ctrl-C.

  --topology KIND      naive|kv|custom (aliases m/memory, s/standard, c/custom) (default kv)
${BROKERS_HELP.replace('(default: $KAFKA_BROKERS or 127.0.0.1:9092)', '(default: an embedded broker)')}
  --broker-port N      port of the embedded broker, 0 picks a free one (default 0)
  --port N             query server port, 0 picks a free one (default ${DEFAULT_QUERY_PORT})
${DATA_HELP}
  --rate N             records per second (default 20)
  --model-interval S   seconds between two models (default 20)
  --by-reference       send models by file path instead of by value
  --shadow FILE|none   a model sent once, at the start, as 'onnx-shadow' in the champion's shadow
                       (its results on models_shadow) (default: the demo ONNX network, data/models/wine-onnx.onnx)
  --partitions N       partitions of models_data and models_results (default 2)
  --state-dir DIR      where the stores live (default: a new temporary directory, removed at exit)
${GUARANTEE_HELP}
  -h, --help           show this text`;

export const demoOptions = {
  brokers: { type: 'string' },
  topology: { type: 'string' },
  'broker-port': { type: 'string' },
  port: { type: 'string' },
  data: { type: 'string' },
  rate: { type: 'string' },
  'model-interval': { type: 'string' },
  'by-reference': { type: 'boolean' },
  shadow: { type: 'string' },
  partitions: { type: 'string' },
  'state-dir': { type: 'string' },
  guarantee: { type: 'string' },
} as const;

export async function runDemoCommand(argv: readonly string[]): Promise<number> {
  const values = parseCommand(argv, demoOptions, DEMO_USAGE);
  if (values.help) {
    console.log(DEMO_USAGE);
    return 0;
  }
  const kind = topologyKindFrom(values.topology, 'kv');
  const port = intOption('port', values.port, DEFAULT_QUERY_PORT, 0, 65535);
  const brokerPort = intOption('broker-port', values['broker-port'], 0, 0, 65535);
  const partitions = intOption('partitions', values.partitions, 2, 1, 1000);
  const guarantee = guaranteeFrom(values.guarantee);
  const plans = providePlans(values, { rate: 20, modelIntervalS: 20 });
  const say = (line: string) => console.log(`[demo] ${line}`);
  for (const line of describePlans(plans)) say(line);
  const shadowFile = values.shadow === 'none' ? undefined : resolve(values.shadow ?? join(PACKAGE_ROOT, 'data/models/wine-onnx.onnx'));
  // Fails now on a file that is not a model, before anything starts.
  if (shadowFile) descriptorForFile(shadowFile);

  const stop = stopOnSignals(say);
  let broker: RunningBroker | undefined;
  let instance: ServingInstance | undefined;
  let provider: RunningProvider | undefined;
  let reader: RunningReader | undefined;
  let status: NodeJS.Timeout | undefined;
  const tempState = values['state-dir'] === undefined ? mkdtempSync(join(tmpdir(), 'modelstream-demo-')) : undefined;
  let code = 0;
  try {
    let brokers: string[];
    if (values.brokers === undefined) {
      broker = await startBroker({ port: brokerPort });
      brokers = broker.brokers;
      say(`embedded Kafka broker on ${brokers.join(',')} (in memory)`);
    } else {
      brokers = brokersFrom(values.brokers);
      say(`using Kafka at ${brokers.join(',')}`);
    }
    instance = await startServingInstance({
      brokers, kind, host: '127.0.0.1', port, partitions,
      applicationId: `modelstream-demo-${kind}`, stateDir: values['state-dir'] ?? tempState, guarantee,
      log: (line) => say(line),
      onFailure: (error) => stop.stop({ kind: 'failed', error }),
    });
    const url = instance.server.url;
    say(`dashboard: ${url}/`);
    say(`try: curl ${url}/state/value   (also /models /state/wine /state/values /state/instance /health /metrics)`);
    let latest: ServingResult | undefined;
    reader = await startReader({ brokers, topic: DEFAULT_TOPICS.results, onResult: (r) => { latest = r; } });
    provider = await startProvider({ brokers, ...plans, log: say, progressEveryMs: 10_000 });
    if (shadowFile) {
      // Its own name, so that the champion cycling through the same file does not take its place.
      const shadow = await startProvider({
        brokers, clientId: 'modelstream-demo-shadow', log: () => {},
        models: { topic: DEFAULT_TOPICS.models, files: [shadowFile], dataType: 'wine', role: 'shadow', name: 'onnx-shadow', loop: false },
      });
      await shadow.done.finally(() => shadow.stop());
      say(`shadow challenger 'onnx-shadow' from ${shadowFile}: scored beside each champion, results on ${DEFAULT_TOPICS.shadow}, agreement on the dashboard`);
    }
    provider.done.catch((error: Error) => stop.stop({ kind: 'failed', error }));
    const shown = instance;
    status = setInterval(() => {
      try {
        for (const dataType of shown.serving.localDataTypes(shown.streams)) {
          const s = shown.serving.localStats(shown.streams, dataType);
          if (!s) continue;
          const mean = s.invocations ? s.duration / s.invocations : 0;
          const pct = s.p50 == null || s.p99 == null ? '' : `, p50 ${s.p50.toFixed(3)}, p99 ${s.p99.toFixed(3)}`;
          const shadows = (s.roles ?? []).filter((r) => r.role === 'shadow' && r.agreement != null).map((r) => `; shadow ${r.name} agrees on ${(100 * r.agreement!).toFixed(1)}%`).join('');
          say(`${dataType}: model ${s.name} (${s.modelType}) scored ${s.invocations} records, mean ${mean.toFixed(3)} ms${pct}, min ${s.min.toFixed(3)}, max ${s.max.toFixed(3)}${shadows}${s.lastError ? `; last load error: ${s.lastError.message}` : ''}`);
        }
        if (latest) say(`latest result: ${formatResult(latest)}`);
      } catch (err) {
        say(`statistics not readable right now: ${(err as Error).message}`);
      }
    }, 5000);
    const reason = await stop.stopped;
    if (reason.kind === 'failed') {
      console.error(`[demo] failed: ${reason.error.message}`);
      code = 1;
    }
  } finally {
    clearInterval(status);
    // Stop producing first; the reader and the instance each wait out a fetch long-poll, together.
    await provider?.stop();
    await Promise.all([reader?.stop().catch(() => {}), instance?.stop()]);
    await broker?.stop();
    stop.dispose();
    if (tempState) rmSync(tempState, { recursive: true, force: true });
  }
  say('stopped');
  return code;
}
