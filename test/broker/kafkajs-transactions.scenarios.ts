// kafkajs 2.2.4's transactional producer, scenario by scenario, for any broker: the embedded
// one (test/broker/kafkajs-transactions.test.ts) and real Kafka 4.4
// (test/kafka/kafkajs-transactions.test.ts), so both are held to the same behaviour.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka, Producer, RequestEvent } from 'kafkajs';

export interface TxnScenarioContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A fresh name for a topic, group or transactional id. */
  readonly name: (prefix: string) => string;
  /** Called with every request a client got an answer to (API version bookkeeping). */
  readonly onRequest?: (e: RequestEvent) => void;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function txnProducer(ctx: TxnScenarioContext, transactionalId: string): Promise<Producer> {
  const producer = ctx.kafka.producer({
    transactionalId, idempotent: true, maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner, retry: { retries: 2 },
  });
  if (ctx.onRequest) producer.on(producer.events.REQUEST, ctx.onRequest);
  await producer.connect();
  return producer;
}

async function createTopic(ctx: TxnScenarioContext, prefix: string, numPartitions: number): Promise<string> {
  const topic = ctx.name(prefix);
  await ctx.admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  return topic;
}

/**
 * Reads a topic from the beginning in a fresh group until the sentinel record `until` has
 * arrived from every partition, and returns the other values seen (per isolation level).
 */
async function readUntil(ctx: TxnScenarioContext, topic: string, until: string, readUncommitted: boolean): Promise<string[]> {
  const partitions = (await ctx.admin.fetchTopicOffsets(topic)).length;
  const consumer: Consumer = ctx.kafka.consumer({ groupId: ctx.name('txn-reader'), readUncommitted, maxWaitTimeInMs: 100, sessionTimeout: 6000 });
  if (ctx.onRequest) consumer.on(consumer.events.REQUEST, ctx.onRequest);
  const seen: string[] = [];
  let ends = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const v = String(message.value);
        if (v === until) ends++;
        else seen.push(v);
      },
    });
    await waitFor(`the record ${until} in every partition of ${topic}`, () => ends === partitions);
  } finally {
    await consumer.disconnect();
  }
  return seen.sort();
}

/** A committed transaction with one record per partition, written as the end-of-test sentinel. */
async function sentinel(ctx: TxnScenarioContext, topic: string, partitions: number, value: string): Promise<void> {
  const producer = await txnProducer(ctx, ctx.name('txn-sentinel'));
  try {
    const txn = await producer.transaction();
    await txn.send({ topic, messages: Array.from({ length: partitions }, (_, partition) => ({ partition, value })) });
    await txn.commit();
  } finally {
    await producer.disconnect();
  }
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

export const scenarios: Record<string, (ctx: TxnScenarioContext) => Promise<void>> = {
  async 'a committed transaction over 2 partitions is read by a read_committed consumer'(ctx) {
    const topic = await createTopic(ctx, 'txn-commit', 2);
    const producer = await txnProducer(ctx, ctx.name('txn-commit'));
    try {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: values('c', 6).map((value, i) => ({ partition: i % 2, value })) });
      await txn.commit();
    } finally {
      await producer.disconnect();
    }
    await sentinel(ctx, topic, 2, 'end');
    assert.equal(await readUntil(ctx, topic, 'end', false), values('c', 6));
    const offsets = await ctx.admin.fetchTopicOffsets(topic);
    // 3 records + a commit marker, then the sentinel's record + marker, in each partition.
    assert.equal(offsets.map((o) => Number(o.high)), [6, 6]);
  },

  async 'an aborted transaction is invisible to read_committed and visible to read_uncommitted'(ctx) {
    const topic = await createTopic(ctx, 'txn-abort', 2);
    const producer = await txnProducer(ctx, ctx.name('txn-abort'));
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: values('before', 2).map((value, i) => ({ partition: i % 2, value })) });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: values('aborted', 4).map((value, i) => ({ partition: i % 2, value })) });
      await aborted.abort();
      const after = await producer.transaction();
      await after.send({ topic, messages: values('after', 2).map((value, i) => ({ partition: i % 2, value })) });
      await after.commit();
    } finally {
      await producer.disconnect();
    }
    await sentinel(ctx, topic, 2, 'end');
    assert.equal(await readUntil(ctx, topic, 'end', false), [...values('after', 2), ...values('before', 2)].sort());
    assert.equal(await readUntil(ctx, topic, 'end', true), [...values('aborted', 4), ...values('after', 2), ...values('before', 2)].sort());
  },

  async 'offsets sent in a transaction are visible to OffsetFetch only after commit'(ctx) {
    const topic = await createTopic(ctx, 'txn-offsets', 1);
    const groupId = ctx.name('txn-offsets-group');
    const producer = await txnProducer(ctx, ctx.name('txn-offsets'));
    const committedOffset = async () => (await ctx.admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset;
    try {
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ partition: 0, value: 'x' }] });
      await aborted.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '3' }] }] });
      await aborted.abort();
      assert.is(await committedOffset(), '-1', 'an aborted transaction commits no offsets');
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ partition: 0, value: 'y' }] });
      await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }] });
      assert.is(await committedOffset(), '-1', 'not visible before the commit');
      await txn.commit();
      await waitFor('the offset to be committed', async () => (await committedOffset()) === '7', 10_000);
    } finally {
      await producer.disconnect();
    }
  },

  async 'a second producer with the same transactional id fences the first'(ctx) {
    const topic = await createTopic(ctx, 'txn-fence', 1);
    const transactionalId = ctx.name('txn-fence');
    const first = await txnProducer(ctx, transactionalId);
    let second: Producer | undefined;
    try {
      const txn = await first.transaction();
      await txn.send({ topic, messages: [{ partition: 0, value: 'zombie-1' }] });
      second = await txnProducer(ctx, transactionalId);
      // kafkajs sends the transactional InitProducerId with its first transaction(): that
      // aborts the first producer's transaction and bumps the epoch.
      const live = await second.transaction();
      const failed = await txn.send({ topic, messages: [{ partition: 0, value: 'zombie-2' }] }).then(() => txn.commit()).then(() => null, (e: Error) => e);
      assert.ok(failed, 'the fenced producer could not send and commit');
      assert.match(failed.message, /epoch|fenced/i);
      await live.send({ topic, messages: [{ partition: 0, value: 'live' }] });
      await live.commit();
    } finally {
      await first.disconnect().catch(() => {});
      await second?.disconnect();
    }
    await sentinel(ctx, topic, 1, 'end');
    assert.equal(await readUntil(ctx, topic, 'end', false), ['live']);
  },
};
