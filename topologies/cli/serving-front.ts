// What every `serve` instance sets up before its streams, on one thread or several: the
// advertised address check, the serving topics, the models-topic command producer and the
// query server that publishes through it.
import { QueryServerListenError } from '../../lib/query/index.ts';
import { openServingServer, type ServingServer } from '../http/server.ts';
import { modelCommandSender } from '../http/commands.ts';
import { DEFAULT_TOPICS, type ServingTopicNames } from '../api.ts';
import { UsageError } from './options.ts';
import { ensureServingTopics } from './topics.ts';
import type { ServingInstanceOptions } from './serve.ts';

export interface ServingFront {
  readonly topics: ServingTopicNames;
  readonly server: ServingServer;
  /** Closes the query server and the command producer. */
  close(): Promise<void>;
}

export async function openServingFront(options: ServingInstanceOptions): Promise<ServingFront> {
  const advertisedHost = options.advertisedHost ?? options.host;
  if (advertisedHost === '0.0.0.0' || advertisedHost === '::') {
    throw new UsageError(`--host ${advertisedHost} listens everywhere but cannot be advertised: add --advertised-host with a name the other instances can reach`);
  }
  const topics = options.topics ?? DEFAULT_TOPICS;
  await ensureServingTopics({ brokers: options.brokers, topics, partitions: options.partitions, log: options.log });
  const commands = await modelCommandSender({ brokers: options.brokers, topic: topics.models });
  const server = await openServingServer({ host: options.host, advertisedHost, port: options.port, commands: (c) => commands.send(c) }).catch(async (err: unknown) => {
    await commands.close();
    if (err instanceof QueryServerListenError) throw new QueryServerListenError(`${err.message} (choose another --port)`, { cause: err.cause });
    throw err;
  });
  return {
    topics, server,
    async close() {
      await server.close();
      await commands.close();
    },
  };
}
