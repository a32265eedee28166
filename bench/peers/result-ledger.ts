// Reads a results topic (after the run) and keeps one line per input record: which inputs (the
// data topic's partition and offset each ServingResult names) have a result, how many results
// were duplicates (at-least-once replays after a rebalance), and when each input's first result
// was appended. With LogAppendTime on the results topic those times are the broker's, so the
// span from the first result to the last new input is the instances' work, whatever this
// process's polling or load, and a count reached with duplicates cannot end a run early.
import kafkajs from 'kafkajs';
import { decodeServingResult } from '../../topologies/codecs/messages.ts';

/** The results topic config the ledger's times need. */
export const LOG_APPEND_TIME = [{ name: 'message.timestamp.type', value: 'LogAppendTime' }];

export interface LedgerCounts {
  /** Inputs with at least one result. */
  readonly distinct: number;
  /** Results of an input that already had one. */
  readonly duplicates: number;
  /** Distinct inputs per input partition. */
  readonly byPartition: Readonly<{ [partition: number]: number }>;
  /** Append time (ms) of the first result, and of the result that made the last input complete. */
  readonly firstAppend: number;
  readonly lastNewAppend: number;
}

/** What the ledger has seen so far; `expect` checks it against the inputs produced. */
export class ResultLedger {
  readonly #seen = new Map<number, Set<number>>();
  #duplicates = 0;
  #first = Infinity;
  #lastNew = 0;

  /** One result: its input's partition and offset, and its own append time. */
  add(partition: number, offset: number, appendedAt: number): void {
    let offsets = this.#seen.get(partition);
    if (!offsets) this.#seen.set(partition, (offsets = new Set()));
    this.#first = Math.min(this.#first, appendedAt);
    if (offsets.has(offset)) { this.#duplicates++; return; }
    offsets.add(offset);
    this.#lastNew = Math.max(this.#lastNew, appendedAt);
  }

  get distinct(): number {
    let n = 0;
    for (const s of this.#seen.values()) n += s.size;
    return n;
  }

  counts(): LedgerCounts {
    const byPartition: { [partition: number]: number } = {};
    for (const [p, s] of [...this.#seen].sort((a, b) => a[0] - b[0])) byPartition[p] = s.size;
    return { distinct: this.distinct, duplicates: this.#duplicates, byPartition, firstAppend: this.#first, lastNewAppend: this.#lastNew };
  }

  /**
   * Every input counted once: for each partition exactly the offsets 0..n-1 its producer wrote
   * (`inputs` from the data topic's end offsets), nothing else. Returns the problems, none when consistent.
   */
  problems(inputs: Readonly<{ [partition: number]: number }>): string[] {
    const out: string[] = [];
    for (const [p, n] of Object.entries(inputs)) {
      const seen = this.#seen.get(Number(p)) ?? new Set<number>();
      let missing = 0;
      for (let o = 0; o < n; o++) if (!seen.has(o)) missing++;
      if (missing) out.push(`partition ${p}: ${missing} of ${n} inputs have no result`);
      const extra = [...seen].filter((o) => o >= n).length;
      if (extra) out.push(`partition ${p}: ${extra} results name offsets past its ${n} inputs`);
    }
    for (const p of this.#seen.keys()) if (!(p in inputs)) out.push(`results name partition ${p}, which has no inputs`);
    return out;
  }
}

/**
 * Reads `topic` from its start into a new ledger until it has every result the topic holds (its
 * end offsets, read first): after the run, so that decoding costs the instances no CPU.
 */
export async function readLedger(brokers: string[], admin: kafkajs.Admin, topic: string, timeoutMs = 120_000): Promise<ResultLedger> {
  const total = Object.values(await inputsPerPartition(admin, topic)).reduce((a, b) => a + b, 0);
  const ledger = new ResultLedger();
  let read = 0;
  const consumer = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: `ledger-${topic}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const r = decodeServingResult(m.value!);
          ledger.add(r.partition, Number(r.offset), Number(m.timestamp));
          read++;
        }
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (read < total) {
      if (Date.now() > deadline) throw new Error(`read ${read} of the ${total} results on ${topic} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return ledger;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Whether the group has committed every input of `topic`: at-least-once commits a batch's
 * offsets only once its results are acknowledged, so every input then has its result appended.
 */
export async function allInputsCommitted(admin: kafkajs.Admin, groupId: string, topic: string): Promise<boolean> {
  try {
    const [ends, [committed]] = await Promise.all([inputsPerPartition(admin, topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    return (committed?.partitions ?? []).length === Object.keys(ends).length
      && committed!.partitions.every((p) => Number(p.offset) >= (ends[p.partition] ?? Infinity));
  } catch {
    return false;
  }
}

/** The number of records per partition of `topic` (its end offsets; a fresh topic starts at 0). */
export async function inputsPerPartition(admin: kafkajs.Admin, topic: string): Promise<{ [partition: number]: number }> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return Object.fromEntries(offsets.map((o) => [o.partition, Number(o.high)]));
}
