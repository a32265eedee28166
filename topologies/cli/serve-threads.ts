// `modelstream serve --threads N` (N > 1): one instance on N stream threads. Each thread builds
// the serving topology from topologies/serving/threads.ts; this thread only serves queries.
import { ThreadedStreams } from '../../lib/index.ts';
import type { ServingServer } from '../http/server.ts';
import { threadedServingReader, type ServingReader, type ServingThreadArgs } from '../serving/threads.ts';
import { openServingFront } from './serving-front.ts';
import type { ServingInstanceOptions } from './serve.ts';

// Built, the module is .js beside this file's .js; from the sources, .ts.
const THREAD_MODULE = new URL(import.meta.url.endsWith('.ts') ? '../serving/threads.ts' : '../serving/threads.js', import.meta.url).href;

export interface ThreadedServingInstance {
  readonly streams: ThreadedStreams;
  readonly reader: ServingReader;
  readonly server: ServingServer;
  stop(): Promise<void>;
}

export async function startThreadedServingInstance(options: ServingInstanceOptions & { readonly threads: number }): Promise<ThreadedServingInstance> {
  const { log } = options;
  const { topics, server, close } = await openServingFront(options);
  const applicationId = options.applicationId ?? `modelstream-${options.kind}`;
  const args: ServingThreadArgs = { kind: options.kind, topics };
  const streams = ThreadedStreams.fromModule({ url: THREAD_MODULE, export: 'servingThread', args }, {
    applicationId, brokers: options.brokers, stateDir: options.stateDir, applicationServer: server.applicationServer,
    closeOnSignals: false, numStreamThreads: options.threads, processingGuarantee: options.guarantee ?? 'at_least_once',
  });
  const reader = threadedServingReader(streams, options.kind);
  server.attach({ streams, reader, storeNames: [`${options.kind}-models`, `${options.kind}-stats`] });
  streams.onStateChange((next, previous, error) => {
    log(`instance ${previous} → ${next}${error ? `: ${error.message}` : ''}`);
    if (next === 'ERROR') options.onFailure?.(error ?? new Error('the instance failed'));
  });
  try {
    log(`starting the ${options.kind} topology as ${applicationId} on ${options.brokers.join(',')} with ${options.threads} stream threads`);
    await streams.start();
  } catch (err) {
    await close();
    await streams.close().catch(() => {});
    throw err;
  }
  log(`query server on ${server.url}: /models /state/{dataType} /state/value /state/values /state/instance /health /metrics`);
  return {
    streams, reader, server,
    async stop() {
      await close();
      await streams.close();
    },
  };
}
