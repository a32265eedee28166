// kafkajs 2.2.4 can resolve a sendBatch without writing a partition whose leader moved to a broker
// that had already answered (kafkajs issue #1303). The fault is injected here by wrapping a real
// producer so that its first send leaves one partition out, exactly as the bug does (no answer for
// that partition); the collector must notice the missing answer and send that partition again.
import * as assert from 'uvu/assert';
import kafkajs, { type Producer } from 'kafkajs';
import { KafkaRecordCollector } from '../../lib/runtime/collector.ts';
import { TopicLimits } from '../../lib/runtime/topic-limits.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { createTopics } from './fixtures.ts';
import { readAll } from './produce-fixtures.ts';

const quiet = { logLevel: kafkajs.logLevel.NOTHING };

/** A real producer whose first `sendBatch` silently skips `partition`, like kafkajs #1303. */
function skippingFirstSend(producer: Producer, partition: number): { producer: Producer; skipped: () => number } {
  let calls = 0;
  let skipped = 0;
  const wrapped = Object.create(producer) as Producer;
  wrapped.sendBatch = async (batch) => {
    if (calls++ > 0) return producer.sendBatch(batch);
    const topicMessages = (batch.topicMessages ?? []).map((t) => {
      const kept = t.messages.filter((m) => m.partition !== partition);
      skipped += t.messages.length - kept.length;
      return { ...t, messages: kept };
    });
    return producer.sendBatch({ ...batch, topicMessages });
  };
  return { producer: wrapped, skipped: () => skipped };
}

forEachBroker('test/runtime/collector-coverage.test.ts', (test, brokerList) => {
  test('a partition a send left unanswered is sent again: every record lands once the flush resolves', async () => {
    const brokers = brokerList();
    const topic = uniqueName('coverage');
    await createTopics(brokers, [{ topic, numPartitions: 3 }]);
    const kafka = new kafkajs.Kafka({ brokers, ...quiet });
    const admin = kafka.admin();
    // Idempotent: under load a send that times out is retried, and a plain producer would then
    // write it twice (at-least-once allows that); this test counts only the collector's resends.
    const real = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), real.connect()]);
    try {
      const { producer, skipped } = skippingFirstSend(real, 1);
      const collector = new KafkaRecordCollector({
        producer, partitionCounts: new Map([[topic, 3]]), changelogTopics: new Set(), limits: new TopicLimits(admin, () => {}),
        taskId: '0_0', origin: () => undefined, dropped: new Map(),
      });
      for (let i = 0; i < 60; i++) {
        collector.send({ topic, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: Date.now(), headers: [] });
      }
      const written = await collector.flush();
      assert.ok(skipped() > 0, 'the injected fault left records of partition 1 out of the first send');
      assert.equal([...written.keys()].sort(), [`${topic}:0`, `${topic}:1`, `${topic}:2`], 'an offset for every partition');
      const landed = await readAll(brokers, topic, 60);
      assert.is(landed.length, 60);
      assert.equal(new Set(landed.map((r) => r.value)).size, 60, 'each record once');
    } finally {
      await Promise.all([admin.disconnect(), real.disconnect()]);
    }
  });
});
