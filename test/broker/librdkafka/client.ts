// librdkafka 2.12 as a KIP-848 consumer (group.protocol=consumer), in process. Debian's
// librdkafka (2.0.2) predates KIP-848 and node-rdkafka needs minutes of native build, so the
// library comes prebuilt: kafka-crab-js's linux-x64 glibc N-API addon links librdkafka 2.12.1
// statically (rdkafka-sys 4.10.0+2.12.1). Its package is installed apart from the root one
// (`npm ci --prefix test/broker/librdkafka`, run by .ci/run) so that `npm ci` at the root stays
// installable on every platform and the package's consumers never download it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Dependency } from '../../requirements.ts';

const HERE = new URL('.', import.meta.url).pathname;
const PACKAGE = 'kafka-crab-js-linux-x64-gnu';

/** The few calls of the addon the tests use (its own .d.ts lives in the wrapper package). */
export interface RdMessage { readonly payload: Buffer; readonly topic: string; readonly partition: number; readonly offset: number }
export interface RdTopicPartition { readonly topic: string; readonly partitionOffset: readonly { readonly partition: number }[] }
export interface RdConsumer {
  subscribe(topic: string): Promise<void>;
  recvBatch(size: number, timeoutMs: number): Promise<RdMessage[]>;
  assignment(): RdTopicPartition[];
  /** rd_kafka_unsubscribe: revokes every partition, then leaves (served by the receive calls). */
  unsubscribe(): void;
  /** Unsubscribes and makes pending and later receive calls reject. */
  disconnect(): Promise<void>;
}
interface Addon {
  KafkaClientConfig: new (c: { brokers: string; clientId: string; logLevel?: string; configuration?: Record<string, string> }) => {
    createConsumer(c: { groupId: string; enableAutoCommit?: boolean; configuration?: Record<string, string> }): RdConsumer;
  };
}

function whyMissing(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the prebuilt librdkafka is for linux-x64 only (here ${process.platform}-${process.arch})`;
  if (!existsSync(join(HERE, 'node_modules', PACKAGE))) return `${PACKAGE} is not installed (npm ci --prefix test/broker/librdkafka)`;
  try {
    load();
    return undefined;
  } catch (err) {
    return `${PACKAGE} does not load: ${(err as Error).message}`;
  }
}

let addon: Addon | undefined;
function load(): Addon {
  return (addon ??= createRequire(join(HERE, 'package.json'))(PACKAGE) as Addon);
}

let probed: { why: string | undefined } | undefined;
/** librdkafka ≥ 2.12 (KIP-848 GA); required wherever real Kafka is (MODELSTREAM_REQUIRE_KAFKA=1, as .ci/run sets). */
export const librdkafka: Dependency = {
  name: 'librdkafka 2.12 (kafka-crab-js-linux-x64-gnu)',
  requiredBy: ['MODELSTREAM_REQUIRE_KAFKA'],
  missing: () => (probed ??= { why: whyMissing() }).why,
};

export interface ConsumerOptions {
  readonly brokers: readonly string[];
  readonly group: string;
  readonly clientId: string;
  /** More librdkafka properties (`auto.commit.interval.ms`, ...). */
  readonly configuration?: Readonly<Record<string, string>>;
}

/** A librdkafka consumer speaking KIP-848, auto-committing, reading from the earliest offset. */
export function kip848Consumer(o: ConsumerOptions): RdConsumer {
  const config = new (load().KafkaClientConfig)({ brokers: o.brokers.join(','), clientId: o.clientId, logLevel: 'error' });
  return config.createConsumer({
    groupId: o.group,
    enableAutoCommit: true,
    configuration: { 'group.protocol': 'consumer', 'auto.offset.reset': 'earliest', ...o.configuration },
  });
}

/** The partitions of `topic` librdkafka says this member owns now, sorted. */
export function owned(c: RdConsumer, topic: string): number[] {
  return c.assignment().filter((t) => t.topic === topic).flatMap((t) => t.partitionOffset.map((p) => p.partition)).sort((a, b) => a - b);
}

/** A member reading in the background until stopped; what it read, as "partition:value". */
export interface Member { readonly consumer: RdConsumer; readonly read: string[]; leave(): Promise<void> }

/** A KIP-848 member subscribed to `topic`, receiving in the background until it leaves. */
export function kip848Member(brokers: string[], group: string, clientId: string, topic: string, configuration?: Record<string, string>): Promise<Member> {
  const consumer = kip848Consumer({ brokers, group, clientId, configuration });
  const read: string[] = [];
  let stopped = false;
  return consumer.subscribe(topic).then(() => {
    const loop = (async () => {
      while (!stopped) {
        // The pending call rejects once disconnect() is called: the end of the loop, not an error.
        const batch = await consumer.recvBatch(100, 200).catch((err: unknown) => { if (stopped) return []; throw err; });
        for (const m of batch) read.push(`${m.partition}:${m.payload.toString()}`);
      }
    })();
    return {
      consumer, read,
      // librdkafka's close: unsubscribe, keep polling so that librdkafka serves the revocation
      // and sends the leave heartbeat (member epoch -1), then stop. kafka-crab-js's disconnect()
      // alone only unsubscribes, and a member nobody polls then leaves at its session timeout.
      async leave() {
        if (stopped) return loop;
        consumer.unsubscribe();
        await waitFor('the revocation served', () => consumer.assignment().length === 0, 30_000);
        stopped = true;
        await consumer.disconnect();
        await loop;
      },
    };
  });
}

async function waitFor(what: string, cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
