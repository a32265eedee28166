// Servers the tests need, started once for the whole run. Each entry decides from the
// list of test files whether it is needed, and passes its address to them by env.
import { kafkaAvailable, startKafka } from '../scripts/kafka/kafka.ts';

export interface Services {
  readonly env: Readonly<{ [key: string]: string }>;
  stop(): Promise<void>;
}

type ServiceEntry = (files: readonly string[]) => Promise<Services | undefined>;

export class RequiredServiceMissingError extends Error {
  override readonly name = 'RequiredServiceMissingError';
}

/** Test files that talk to a real broker (via MODELSTREAM_KAFKA_BROKERS). */
export function needsKafka(file: string): boolean {
  const path = file.replaceAll('\\', '/');
  return /(^|\/)test\/(runtime|kafka|integration)\//.test(path) || path.includes('.kafka.');
}

/** Real Apache Kafka (scripts/kafka), unless the caller already gave brokers. */
const realKafka: ServiceEntry = async (files) => {
  if (process.env.MODELSTREAM_KAFKA_BROKERS || !files.some(needsKafka)) return undefined;
  if (!kafkaAvailable()) {
    const why = 'Java 17+ (and Maven, or jars in .kafka/libs) is needed to run real Apache Kafka';
    if (process.env.MODELSTREAM_REQUIRE_KAFKA === '1') throw new RequiredServiceMissingError(`${why}, and MODELSTREAM_REQUIRE_KAFKA=1`);
    console.log(`[services] ${why}: the Kafka integration tests will be skipped.`);
    return undefined;
  }
  const kafka = await startKafka({ log: (line) => console.log(line) });
  return { env: { MODELSTREAM_KAFKA_BROKERS: kafka.brokers.join(',') }, stop: () => kafka.stop() };
};

const entries: readonly ServiceEntry[] = [realKafka];

export async function startServices(files: readonly string[]): Promise<Services> {
  const started: Services[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    for (const entry of entries) {
      const service = await entry(files);
      if (service) started.push(service);
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    env: Object.assign({}, ...started.map((s) => s.env)) as Record<string, string>,
    stop: stopAll,
  };
}
