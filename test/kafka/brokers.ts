// Where the integration tests find a real broker: MODELSTREAM_KAFKA_BROKERS (comma-separated),
// set by test/services.ts or by hand. Test files gate on test/requirements.ts's `realKafka`
// (skipped without it, failed when MODELSTREAM_REQUIRE_KAFKA=1); brokersFromEnv is the older
// form that test/runtime/targets.ts still uses.
import { randomBytes } from 'node:crypto';
import { availability, kafkaBrokers, realKafka, RequiredDependencyError } from '../requirements.ts';

export class KafkaRequiredError extends RequiredDependencyError {
  override readonly name = 'KafkaRequiredError';
}

/** The brokers to test against, or undefined (after a console message) when the file must skip. */
export function brokersFromEnv(testFile: string): string[] | undefined {
  const a = availability(realKafka);
  if (a.kind === 'present') return kafkaBrokers();
  if (a.kind === 'required') throw new KafkaRequiredError(a.message);
  console.log(`[skip] ${testFile}: ${a.why}; its Kafka integration tests are skipped.`);
  return undefined;
}

/** A topic or group name no earlier run on the same broker has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
