// The results reader: follows `models_results` and hands each decoded ServingResult over as it arrives.
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { ModelType, decodeServingResult, type ServingResult } from '../codecs/messages.ts';

export interface ReaderOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Read the topic from its start (default: only results that arrive from now on). */
  readonly fromBeginning?: boolean;
  readonly groupId?: string;
  readonly onResult: (result: ServingResult) => void;
  /** A payload that is not a ServingResult (default: ignored after counting). */
  readonly onBadMessage?: (error: Error) => void;
}

export interface RunningReader {
  counts(): { readonly results: number; readonly bad: number };
  stop(): Promise<void>;
}

export async function startReader(options: ReaderOptions): Promise<RunningReader> {
  const kafka = new kafkajs.Kafka({ clientId: 'modelstream-reader', brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING });
  // A group of its own: every reader sees every result, and no offsets of earlier runs apply.
  // A short fetch wait: disconnect() waits for the fetch in flight, so this bounds how long stop() takes.
  const consumer = kafka.consumer({
    groupId: options.groupId ?? `modelstream-reader-${randomBytes(4).toString('hex')}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 1000,
  });
  let results = 0, bad = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [options.topic], fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let result: ServingResult;
        try {
          result = decodeServingResult(message.value);
        } catch (err) {
          bad += 1;
          options.onBadMessage?.(err as Error);
          return;
        }
        results += 1;
        options.onResult(result);
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => {});
    throw err;
  }
  return {
    counts: () => ({ results, bad }),
    stop: () => consumer.disconnect(),
  };
}

const TYPE_NAMES = new Map<number, string>(Object.entries(ModelType).map(([name, n]) => [n, name]));

/** One line per result: where it came from, which model, what it said, how long it took. */
export function formatResult(r: ServingResult): string {
  const said = r.outcome.kind === 'scored' ? `→ ${r.outcome.value === null ? 'no value' : String(r.outcome.value)}` : `failed: ${r.outcome.error}`;
  const type = TYPE_NAMES.get(r.modelType) ?? `type ${r.modelType}`;
  return `${r.dataType} p${r.partition}@${r.offset} ${r.modelName} (${type}) ${said} in ${r.durationMs.toFixed(3)} ms`;
}
