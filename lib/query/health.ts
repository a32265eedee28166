// `GET /health`: UP only when RUNNING and connected to the brokers. A broker outage leaves the
// state RUNNING (as in Kafka Streams), so the connection decides too.
import type { QueryableInstance } from './instance.ts';

/** 200 when UP, 503 when DOWN; `STARTING` while no instance is attached yet. */
export interface InstanceHealth {
  readonly status: 'UP' | 'DOWN';
  readonly state: QueryableInstance['state'] | 'STARTING';
  /** The instance's fatal error, or the reason the brokers do not answer. */
  readonly error?: string;
}

export function healthOf(instance: QueryableInstance | undefined): InstanceHealth {
  if (!instance) return { status: 'DOWN', state: 'STARTING' };
  const broker = instance.brokerConnection?.();
  // An instance that does not report its connection (a test driver) is judged by its state alone.
  const up = instance.state === 'RUNNING' && (broker === undefined || broker.status === 'connected');
  const error = instance.error?.message ?? (broker?.status === 'disconnected' ? broker.reason : undefined);
  return { status: up ? 'UP' : 'DOWN', state: instance.state, ...(error ? { error } : {}) };
}
