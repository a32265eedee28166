// The data provider (the tutorial's client): publishes wine records at a steady rate, looping
// over the CSV, and model descriptors one every N seconds, cycling over the given files.
import kafkajs from 'kafkajs';
import type { Producer } from 'kafkajs';
import { encodeModelDescriptor, encodeWineRecord, type WineRecord } from '../codecs/messages.ts';
import { descriptorForFile, type DescriptorOptions } from './sources.ts';

export interface RecordsPlan {
  readonly topic: string;
  readonly records: readonly WineRecord[];
  /** Records per second (fractional allowed). */
  readonly ratePerSecond: number;
  /** Start over at the end of the file (default true). */
  readonly loop?: boolean;
  /** Stop after this many records (default: never when looping). */
  readonly limit?: number;
}

export interface ModelsPlan extends DescriptorOptions {
  readonly topic: string;
  readonly files: readonly string[];
  /** Time between two models; the first goes at once (default 60 s). */
  readonly intervalMs?: number;
  /** Cycle over the files again and again (default: true when there are several). */
  readonly loop?: boolean;
}

export interface ProviderOptions {
  readonly brokers: readonly string[];
  readonly records?: RecordsPlan;
  readonly models?: ModelsPlan;
  /** Progress lines (default console.log); a summary every `progressEveryMs` (default 5 s). */
  readonly log?: (line: string) => void;
  readonly progressEveryMs?: number;
  readonly clientId?: string;
}

export interface ProviderCounts {
  readonly records: number;
  readonly models: number;
  readonly lastModel: string | undefined;
}

export interface RunningProvider {
  counts(): ProviderCounts;
  /** Resolves when both plans are done (never, when looping), rejects on a send that failed for good. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const MAX_BATCH = 5000;

export async function startProvider(options: ProviderOptions): Promise<RunningProvider> {
  const log = options.log ?? ((line: string) => console.log(line));
  const kafka = new kafkajs.Kafka({
    clientId: options.clientId ?? 'modelstream-provider', brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let stopped = false;
  let records = 0, models = 0;
  let lastModel: string | undefined;
  const wake = new Set<() => void>();
  const sleep = (ms: number) => new Promise<void>((r) => {
    const done = () => { clearTimeout(timer); wake.delete(done); r(); };
    const timer = setTimeout(done, ms);
    wake.add(done);
  });

  const sendRecords = async (plan: RecordsPlan) => {
    const limit = plan.limit ?? (plan.loop === false ? plan.records.length : Infinity);
    const started = Date.now();
    let next = 0;
    while (!stopped && records < limit) {
      // Send what is due by now, so the rate holds even when a send is slow.
      const due = Math.min(limit, Math.floor(((Date.now() - started) / 1000) * plan.ratePerSecond) + 1) - records;
      if (due > 0) {
        const messages = [];
        for (let i = 0; i < Math.min(due, MAX_BATCH); i++) {
          messages.push({ key: null, value: Buffer.from(encodeWineRecord(plan.records[next]!)) });
          next = (next + 1) % plan.records.length;
        }
        await producer.send({ topic: plan.topic, acks: -1, messages });
        records += messages.length;
      } else {
        await sleep(Math.max(5, Math.min(200, 1000 / plan.ratePerSecond)));
      }
    }
  };

  const sendModels = async (plan: ModelsPlan) => {
    const loop = plan.loop ?? plan.files.length > 1;
    for (let i = 0; !stopped; i++) {
      if (i >= plan.files.length && !loop) return;
      const file = plan.files[i % plan.files.length]!;
      const descriptor = descriptorForFile(file, plan);
      await producer.send({ topic: plan.topic, acks: -1, messages: [{ key: descriptor.dataType, value: Buffer.from(encodeModelDescriptor(descriptor)) }] });
      models += 1;
      lastModel = descriptor.name;
      firstModelSent();
      const how = descriptor.data ? `by value, ${descriptor.data.length} bytes` : `by reference, ${descriptor.location}`;
      log(`[provider] model ${descriptor.name} (${descriptor.description}; ${how}) → ${plan.topic} key ${descriptor.dataType}`);
      if (i + 1 >= plan.files.length && !loop) return;
      await sleep(plan.intervalMs ?? 60_000);
    }
  };

  let lastCount = 0, lastAt = Date.now();
  const progress = setInterval(() => {
    const now = Date.now();
    const rate = ((records - lastCount) * 1000) / Math.max(1, now - lastAt);
    lastCount = records; lastAt = now;
    if (options.records) log(`[provider] ${records} records sent (${rate.toFixed(1)}/s), ${models} models sent${lastModel ? `, current ${lastModel}` : ''}`);
  }, options.progressEveryMs ?? 5000);
  progress.unref();

  // Records wait for the first model, so that a fresh demo does not begin by skipping records.
  let firstModelSent: () => void = () => {};
  const firstModel = options.models ? new Promise<void>((r) => (firstModelSent = r)) : Promise.resolve();
  const tasks: Promise<void>[] = [];
  if (options.records) {
    if (!(options.records.ratePerSecond > 0)) throw new RangeError(`the record rate must be > 0 per second, got ${options.records.ratePerSecond}`);
    log(`[provider] ${options.records.records.length} records → ${options.records.topic} at ${options.records.ratePerSecond}/s${options.records.limit !== undefined ? `, ${options.records.limit} in all` : options.records.loop === false ? ', once' : ', looping'}`);
    const plan = options.records;
    tasks.push(firstModel.then(() => sendRecords(plan)));
  }
  if (options.models) tasks.push(sendModels(options.models).finally(() => firstModelSent()));
  const done = Promise.all(tasks).then(() => undefined).finally(() => clearInterval(progress));
  done.catch(() => {}); // observed by the caller through `done`; stop() must not reject for it

  return {
    counts: () => ({ records, models, lastModel }),
    done,
    async stop() {
      stopped = true;
      for (const w of [...wake]) w();
      await done.catch(() => {});
      await disconnect(producer);
    },
  };
}

async function disconnect(producer: Producer): Promise<void> {
  try { await producer.disconnect(); } catch { /* already gone */ }
}
