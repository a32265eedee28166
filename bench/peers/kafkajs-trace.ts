// Where a record waits inside one of our servers, from kafkajs's own instrumentation events:
// with MODELSTREAM_BENCH_TRACE=DIR set, every kafkajs consumer and producer the process makes
// reports its request round trips (Fetch, Produce, OffsetCommit, ...), fetch durations and the
// time of each batch (eachBatch: processing, the commit's produce and store flush, the offset
// commit), and `trace.json` summaries (p50/p99/max, ms) are written to DIR/trace-<pid>.json at exit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';

type Samples = Map<string, number[]>;

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Patches kafkajs's client so that what KafkaStreams creates later is traced; returns the writer of the summary. */
export function traceKafkajs(dir: string): { sample(name: string, ms: number): void; write(): void } {
  const samples: Samples = new Map();
  const sample = (name: string, ms: number) => {
    let list = samples.get(name);
    if (!list) samples.set(name, (list = []));
    list.push(ms);
  };
  const proto = kafkajs.Kafka.prototype as unknown as { consumer: (...a: unknown[]) => kafkajs.Consumer; producer: (...a: unknown[]) => kafkajs.Producer };
  const makeConsumer = proto.consumer;
  proto.consumer = function (this: unknown, ...args: unknown[]) {
    const consumer = makeConsumer.apply(this, args);
    const e = consumer.events;
    let fetchStarted = 0;
    consumer.on(e.REQUEST, ({ payload }) => sample(`consumer ${payload.apiName} round trip`, payload.duration));
    consumer.on(e.FETCH_START, () => { fetchStarted = Date.now(); });
    consumer.on(e.FETCH, ({ payload }) => sample('fetch (issue to batches in hand)', payload.duration));
    consumer.on(e.START_BATCH_PROCESS, ({ payload }) => {
      sample('batch size (records)', payload.batchSize);
      if (fetchStarted) sample('fetch start to batch start', Date.now() - fetchStarted);
    });
    consumer.on(e.END_BATCH_PROCESS, ({ payload }) => sample('batch (process, flush, produce, store flush, offset commit)', payload.duration));
    return consumer;
  };
  const makeProducer = proto.producer;
  proto.producer = function (this: unknown, ...args: unknown[]) {
    const producer = makeProducer.apply(this, args);
    producer.on(producer.events.REQUEST, ({ payload }) => sample(`producer ${payload.apiName} round trip`, payload.duration));
    return producer;
  };
  return {
    sample,
    write() {
      const summary: { [name: string]: { n: number; p50: number; p99: number; max: number } } = {};
      for (const [name, list] of samples) {
        const sorted = [...list].sort((a, b) => a - b);
        summary[name] = { n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
      }
      writeFileSync(join(dir, `trace-${process.pid}.json`), JSON.stringify(summary, null, 1));
    },
  };
}
