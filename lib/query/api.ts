// Shapes of the interactive-query HTTP layer (DESIGN.md §4 "HTTP"): what the server needs and
// what its endpoints answer.
import type { KafkaStreams } from '../runtime/kafka-streams.ts';
import type { ModelServingStats, ServingTopology } from '../../topologies/api.ts';

/** What the endpoints read: the running instance and the serving topology it runs. */
export interface QueryTarget {
  readonly streams: KafkaStreams;
  readonly serving: ServingTopology;
}

export interface QueryServerOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The host other instances reach this one at, as in its application.server (default: `host`). */
  readonly advertisedHost?: string;
  /** Default 8888; 0 picks a free port (read it back from the result). */
  readonly port?: number;
  /** How long `/state/values` waits for each other instance (default 2000 ms). */
  readonly peerTimeoutMs?: number;
  /** dataType of `/state/value` without `?dataType=` (default 'wine'). */
  readonly defaultDataType?: string;
}

/** `GET /state/instance`: one element per instance; partitions as Kafka prints them, `"topic-partition"`. */
export interface InstanceInfo {
  readonly host: string;
  readonly port: number;
  readonly storeNames: readonly string[];
  readonly partitions: readonly string[];
}

/** One instance's answer in `GET /state/values`; an instance that did not answer is reported, not fatal. */
export type InstanceStats =
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'ok'; readonly stats: ModelServingStats }
  | { readonly host: string; readonly port: number; readonly self: boolean; readonly status: 'unreachable'; readonly error: string };

/** `GET /state/values`. */
export interface AllInstanceStats {
  readonly dataType: string;
  readonly instances: readonly InstanceStats[];
}

/** `GET /health`: 200 when RUNNING and the cluster answers, 503 otherwise. STARTING: the server listens but the instance is not attached yet. */
export interface Health {
  readonly status: 'UP' | 'DOWN';
  readonly state: KafkaStreams['state'] | 'STARTING';
  readonly error?: string;
}

/** A listening query server. */
export interface QueryServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /** Starts answering for this instance; until then /state/* and /health answer 503. */
  attach(target: QueryTarget): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
