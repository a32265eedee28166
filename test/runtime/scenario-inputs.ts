// How the crash and exactly-once scenarios write their inputs. kafkajs's producer is not
// idempotent by default and retries a whole Produce request when any partition in it fails (a
// partition that is not leader yet right after its topic was created, a lost response): the
// partitions appended the first time get their records twice, and a scenario then counts inputs
// it never meant to write as the app's fault. Idempotent, the broker drops a retried batch by
// producer id and sequence (KIP-98); and the topic is counted afterwards.
import kafkajs from 'kafkajs';
import type { ISocketFactory, Message, logCreator } from 'kafkajs';

/** The topic holds another number of records than the writer sent: the scenario cannot count its inputs. */
export class InputCountError extends Error {
  override readonly name = 'InputCountError';
}

export interface WriteInputsOptions {
  /** Records per send (default: all in one). */
  readonly chunk?: number;
  /** Pause between sends, ms (default 0). */
  readonly pauseMs?: number;
  /** For fault injection (see lost-response.ts). */
  readonly socketFactory?: ISocketFactory;
}

/** The errors kafkajs logged while the writers of this process sent (each a reason to send a request again), for the benches. */
export const writerErrors: string[] = [];

const recordErrors: logCreator = () => ({ namespace, level, log }) => {
  if (level === kafkajs.logLevel.ERROR) writerErrors.push(`${namespace}: ${String(log.message)}`);
};

/** `perKey` rounds over `keys` keys: key-0 = v0, key-1 = v0, ..., key-0 = v1, ... */
export function countingInputs(keys: number, perKey: number): Message[] {
  const messages: Message[] = [];
  for (let round = 0; round < perKey; round++) for (let k = 0; k < keys; k++) messages.push({ key: `key-${k}`, value: `v${round}` });
  return messages;
}

/** Writes `messages` to a topic that was empty, each exactly once, and checks that it holds them and nothing else. */
export async function writeInputs(brokers: string[], topic: string, messages: readonly Message[], options: WriteInputsOptions = {}): Promise<void> {
  const kafka = new kafkajs.Kafka({
    brokers, logLevel: kafkajs.logLevel.ERROR, logCreator: recordErrors, ...(options.socketFactory && { socketFactory: options.socketFactory }),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const chunk = options.chunk ?? messages.length;
    for (let i = 0; i < messages.length; i += chunk) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
  const held = await recordsIn(brokers, topic);
  if (held !== messages.length) throw new InputCountError(`${topic} holds ${held} records after ${messages.length} were written once each`);
}

/** Records in `topic` (offsets between each partition's low and high watermark: no transaction markers in an input). */
export async function recordsIn(brokers: string[], topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
