// `modelstream serve`: one instance of the model-serving application and its query server.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { KafkaStreams } from '../../lib/index.ts';
import { DEFAULT_QUERY_PORT } from '../../lib/query/index.ts';
import type { ServingServer } from '../http/server.ts';
import { TOPOLOGY_ALIASES, type ServingTopicNames, type ServingTopology, type TopologyKind } from '../api.ts';
import { BROKERS_HELP, GUARANTEE_HELP, UsageError, brokersFrom, brokersOption, guaranteeFrom, intOption, parseCommand } from './options.ts';
import { openServingFront } from './serving-front.ts';
import { stopOnSignals } from './lifecycle.ts';
import { buildServingTopology } from '../index.ts';
import { startThreadedServingInstance } from './serve-threads.ts';

export const SERVE_USAGE = `Usage: modelstream serve [--topology naive|kv|custom] [options]

Runs one instance of the model-serving application: scores models_data with the current model
of each dataType (models arrive on models_models), writes models_results, and answers
interactive queries over HTTP. Start several with the same --application-id to share the work.

  --topology KIND      naive (memory state; aliases m, memory), kv (LevelDB store with changelog;
                       s, standard) or custom (the file store with its own changelog; c) (default kv)
${BROKERS_HELP}
  --host H             address the query server listens on (default 127.0.0.1)
  --advertised-host H  host the other instances reach this one at (default: --host)
  --port N             query server port, 0 picks a free one (default ${DEFAULT_QUERY_PORT})
  --partitions N       partitions of models_data and models_results when serve creates them (default 2)
  --application-id ID  consumer group and changelog prefix (default modelstream-<topology>)
  --state-dir DIR      where kv and custom keep their stores (default ${join(tmpdir(), 'modelstream')})
${GUARANTEE_HELP}
  --threads N          stream threads of this instance, each a worker thread and a group member with
                       its own tasks, clients and copy of the models (default 1; see the README)
  -h, --help           show this text

Endpoints: /state/instance /state/value[?dataType=] /state/values /health /metrics, and for any
store /instances /stores /stores/NAME/keys/KEY /stores/NAME/entries[?scope=all]`;

export const serveOptions = {
  ...brokersOption,
  topology: { type: 'string' },
  host: { type: 'string' },
  'advertised-host': { type: 'string' },
  port: { type: 'string' },
  partitions: { type: 'string' },
  'application-id': { type: 'string' },
  'state-dir': { type: 'string' },
  guarantee: { type: 'string' },
  threads: { type: 'string' },
} as const;

export function topologyKindFrom(value: string | undefined, fallback: TopologyKind): TopologyKind {
  if (value === undefined) return fallback;
  const kind = TOPOLOGY_ALIASES[value.toLowerCase()];
  if (!kind) throw new UsageError(`--topology must be naive|kv|custom (aliases m/memory, s/standard, c/custom), got '${value}'`);
  return kind;
}

export interface ServingInstanceOptions {
  readonly brokers: readonly string[];
  readonly kind: TopologyKind;
  readonly host: string;
  /** Default: `host`. */
  readonly advertisedHost?: string;
  readonly port: number;
  readonly partitions: number;
  /** Default: models_data, models_models, models_results. */
  readonly topics?: ServingTopicNames;
  readonly applicationId?: string;
  readonly stateDir?: string;
  /** Default at_least_once. */
  readonly guarantee?: 'at_least_once' | 'exactly_once_v2';
  readonly log: (line: string) => void;
  /** Called once if the instance reaches ERROR. */
  readonly onFailure?: (error: Error) => void;
}

export interface ServingInstance {
  readonly streams: KafkaStreams;
  readonly serving: ServingTopology;
  readonly server: ServingServer;
  /** Closes the query server, then the instance (commits and leaves the group). */
  stop(): Promise<void>;
}

/** Creates missing topics, listens for queries, and starts the instance advertising that address. */
export async function startServingInstance(options: ServingInstanceOptions): Promise<ServingInstance> {
  const { log } = options;
  const { topics, server, close } = await openServingFront(options);
  let streams: KafkaStreams | undefined;
  try {
    const applicationId = options.applicationId ?? `modelstream-${options.kind}`;
    const serving = buildServingTopology(options.kind, { topics, log: (message) => log(`${options.kind}: ${message}`) });
    streams = new KafkaStreams(serving.topology, {
      applicationId,
      brokers: options.brokers,
      stateDir: options.stateDir,
      applicationServer: server.applicationServer,
      closeOnSignals: false,
      processingGuarantee: options.guarantee ?? 'at_least_once',
    });
    const instance = streams;
    server.attach({ streams: instance, serving });
    instance.onStateChange((next, previous, error) => {
      log(`instance ${previous} → ${next}${error ? `: ${error.message}` : ''}`);
      if (next === 'ERROR') options.onFailure?.(error ?? new Error('the instance failed'));
    });
    log(`starting the ${options.kind} topology as ${applicationId} on ${options.brokers.join(',')} (${options.guarantee ?? 'at_least_once'})`);
    await instance.start();
    log(`query server on ${server.url}: /models /state/{dataType} /state/value /state/values /state/instance /health /metrics`);
    return {
      streams: instance, serving, server,
      async stop() {
        await close();
        await instance.close();
      },
    };
  } catch (err) {
    await close();
    await streams?.close().catch(() => {});
    throw err;
  }
}

export async function runServeCommand(argv: readonly string[]): Promise<number> {
  const values = parseCommand(argv, serveOptions, SERVE_USAGE);
  if (values.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  const log = (line: string) => console.log(`[serve] ${line}`);
  const options: ServingInstanceOptions = {
    brokers: brokersFrom(values.brokers),
    kind: topologyKindFrom(values.topology, 'kv'),
    host: values.host ?? '127.0.0.1',
    advertisedHost: values['advertised-host'],
    port: intOption('port', values.port, DEFAULT_QUERY_PORT, 0, 65535),
    partitions: intOption('partitions', values.partitions, 2, 1, 10_000),
    applicationId: values['application-id'],
    stateDir: values['state-dir'],
    guarantee: guaranteeFrom(values.guarantee),
    log,
  };
  const threads = intOption('threads', values.threads, 1, 1, 256);
  const stop = stopOnSignals(log);
  const onFailure = (error: Error) => stop.stop({ kind: 'failed', error });
  const start = threads > 1 ? startThreadedServingInstance({ ...options, threads, onFailure }) : startServingInstance({ ...options, onFailure });
  const instance = await start.catch((err) => {
    stop.dispose();
    throw err;
  });
  const reason = await stop.stopped;
  await instance.stop();
  stop.dispose();
  log('stopped');
  if (reason.kind === 'failed') {
    console.error(`[serve] the instance failed: ${reason.error.message}`);
    return 1;
  }
  return 0;
}
