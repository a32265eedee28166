// What each stream thread builds its topology from. Processor suppliers are closures, which no
// worker thread can receive, so every thread imports the same module and calls the same export
// with the same JSON arguments: N threads run N copies of one topology.
import type { Topology } from '../../streams/topology.ts';
import type { StreamsConfig } from '../config.ts';
import type { KafkaStreams } from '../kafka-streams.ts';
import type { PublishedStoreSpec } from './published.ts';

/** A module's export that builds the topology: `url` as `import()` takes it (a file URL or a package name). */
export interface TopologyModule {
  readonly url: string;
  /** The export to call (default `default`). */
  readonly export?: string;
  /** Handed to the export as its first argument: must survive structured cloning (JSON-like). */
  readonly args?: unknown;
}

/** Handlers are functions too: a thread takes them from its factory, not from the instance's config. */
export type ThreadHandlers = Pick<StreamsConfig, 'onDeserializationError' | 'onProcessingError' | 'onProductionError'>;

/**
 * A query the application runs inside each thread against that thread's KafkaStreams (its local
 * stores, read synchronously there); `ThreadedStreams.queryThreads(name, args)` gathers the answers.
 * Arguments and answers cross threads by structured cloning.
 */
export type ThreadQuery = (streams: KafkaStreams, args: unknown) => unknown;

/** What the factory returns: the topology, or the topology with handlers and queries. */
export type ThreadTopology = Topology | {
  readonly topology: Topology;
  readonly handlers?: ThreadHandlers;
  readonly queries?: Readonly<{ [name: string]: ThreadQuery }>;
  /**
   * Small stores each thread posts to the instance after its commits (at most once per commit
   * interval), which `ThreadedStreams.published()` reads without asking a thread (see published.ts).
   */
  readonly published?: readonly PublishedStoreSpec[];
};

/** Passed to the factory beside its arguments. */
export interface ThreadContext {
  /** 0-based index of the thread (a replaced thread keeps its index). */
  readonly threadIndex: number;
}

export type TopologyFactory = (args: unknown, context: ThreadContext) => ThreadTopology | Promise<ThreadTopology>;

export interface LoadedThreadTopology {
  readonly topology: Topology;
  readonly handlers: ThreadHandlers;
  readonly queries: Readonly<{ [name: string]: ThreadQuery }>;
  readonly published: readonly PublishedStoreSpec[];
}

/** The module's export named in `spec` is not a function. */
export class TopologyModuleError extends Error {
  override readonly name = 'TopologyModuleError';
}

export async function loadTopology(spec: TopologyModule, context: ThreadContext): Promise<LoadedThreadTopology> {
  const mod = await import(spec.url) as { [name: string]: unknown };
  const name = spec.export ?? 'default';
  const factory = mod[name];
  if (typeof factory !== 'function') throw new TopologyModuleError(`${spec.url} has no function export "${name}"`);
  const made = await (factory as TopologyFactory)(spec.args, context);
  if ('topology' in made) return { topology: made.topology, handlers: made.handlers ?? {}, queries: made.queries ?? {}, published: made.published ?? [] };
  return { topology: made, handlers: {}, queries: {}, published: [] };
}
