// Where the integration tests find a real broker: MODELSTREAM_KAFKA_BROKERS (comma-separated),
// set by test/services.ts or by hand. Without it a test file registers no tests and says why,
// unless MODELSTREAM_REQUIRE_KAFKA=1 (CI), where a missing broker is an error.
import { randomBytes } from 'node:crypto';

export class KafkaRequiredError extends Error {
  override readonly name = 'KafkaRequiredError';
}

/** The brokers to test against, or undefined (after a console message) when the file must skip. */
export function brokersFromEnv(testFile: string): string[] | undefined {
  const brokers = (process.env.MODELSTREAM_KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length > 0) return brokers;
  const why = 'MODELSTREAM_KAFKA_BROKERS is not set (no real Kafka: is Java 17+ installed?)';
  if (process.env.MODELSTREAM_REQUIRE_KAFKA === '1') {
    throw new KafkaRequiredError(`${why}; MODELSTREAM_REQUIRE_KAFKA=1 makes the Kafka integration tests mandatory`);
  }
  console.log(`[skip] ${testFile}: ${why}; its Kafka integration tests are skipped.`);
  return undefined;
}

/** A topic or group name no earlier run on the same broker has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
