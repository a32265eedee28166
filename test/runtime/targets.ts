// Runs one set of runtime tests against each broker: real Apache Kafka (when the runner gave
// one; without it the 'kafka' tests are reported skipped, and fail when Kafka is required) and our
// embedded broker (started in this process), with the same assertions.
import { suite, type Test } from 'uvu';
import { startBroker } from '../../lib/broker/index.ts';
import { brokersFromEnv } from '../kafka/brokers.ts';

export type Brokers = () => string[];

export function forEachBroker(file: string, register: (test: Test, brokers: Brokers) => void): void {
  const real = brokersFromEnv(file);
  const kafka = suite('kafka');
  register(real ? kafka : skipping(kafka), () => real ?? []);
  kafka.run();
  const embedded = suite('embedded');
  let broker: Awaited<ReturnType<typeof startBroker>> | undefined;
  embedded.before(async () => { broker = await startBroker({ port: 0 }); });
  embedded.after(async () => { await broker?.stop(); });
  register(embedded, () => broker!.brokers);
  embedded.run();
}

/** A suite whose tests are all registered as skipped and whose hooks never run. */
function skipping(base: Test): Test {
  const noHook = Object.assign(() => {}, { each: () => {} });
  const skip = (name?: string) => base.skip(name);
  return Object.assign(skip, { skip, only: skip, before: noHook, after: noHook, run: () => {} }) as unknown as Test;
}
