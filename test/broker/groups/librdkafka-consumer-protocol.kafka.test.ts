// librdkafka 2.12 with group.protocol=consumer (KIP-848) against real Kafka 4.4 and the embedded
// broker, with the same assertions: a consumer reads every record exactly once; two members
// split the partitions between them, and when one leaves (librdkafka's close, a leave
// heartbeat) the other takes them all, with each record read once across both.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { uniqueName } from '../../kafka/brokers.ts';
import { kafkaBrokers, needs, realKafka, type Dependency } from '../../requirements.ts';
import { kip848Member as member, librdkafka, owned } from '../librdkafka/client.ts';
import { produce, until } from './java-member.ts';

const PARTITIONS = 4;

async function createTopic(brokers: string[], topic: string): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
/** produce() sends value i to partition i % 4: what each record should be read as. */
const expected = (vs: string[]) => vs.map((v, i) => `${i % PARTITIONS}:${v}`).sort();

function register(name: string, deps: Dependency[], brokersOf: () => string[], requestsSeen?: () => Set<string>): Test {
  const s = suite(name);
  const it = needs(deps, s);

  it('one librdkafka consumer (group.protocol=consumer) reads every record exactly once', async () => {
    const brokers = brokersOf(), topic = uniqueName('rd848-one');
    await createTopic(brokers, topic);
    const sent = values('r', 300);
    await produce(brokers, topic, sent);
    const m = await member(brokers, uniqueName('rd848-one-g'), 'rd848-one', topic);
    try {
      await until('300 records', () => m.read.length >= 300, 60_000);
      await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive now
    } finally {
      await m.leave();
    }
    assert.equal([...m.read].sort(), expected(sent), 'every record once, from its partition');
    if (requestsSeen) assert.ok(requestsSeen().has('ConsumerGroupHeartbeat'), 'librdkafka used the KIP-848 heartbeat');
  });

  it('two librdkafka members share the partitions; after one leaves the other owns them all; each record is read once', async () => {
    const brokers = brokersOf(), topic = uniqueName('rd848-two'), group = uniqueName('rd848-two-g');
    await createTopic(brokers, topic);
    const a = await member(brokers, group, 'rd848-a', topic);
    const b = await member(brokers, group, 'rd848-b', topic);
    try {
      await until('a split of the 4 partitions, 2 each', () => owned(a.consumer, topic).length === 2 && owned(b.consumer, topic).length === 2, 60_000);
      assert.equal([...owned(a.consumer, topic), ...owned(b.consumer, topic)].sort(), [0, 1, 2, 3], 'disjoint and complete');
      const first = values('first', 100);
      await produce(brokers, topic, first);
      await until('the first 100 records', () => a.read.length + b.read.length >= 100, 30_000);
      assert.ok(a.read.length > 0 && b.read.length > 0, `both read: a ${a.read.length}, b ${b.read.length}`);
      await b.leave();
      // Well within the 45 s session timeout: b left, it was not timed out.
      await until('a owning all 4 partitions', () => owned(a.consumer, topic).length === 4, 20_000);
      const second = values('second', 100);
      await produce(brokers, topic, second);
      await until('all 200 records', () => a.read.length + b.read.length >= 200, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal([...a.read, ...b.read].sort(), [...expected(first), ...expected(second)].sort(), 'each record once across both members');
    } finally {
      await b.leave();
      await a.leave();
    }
  });
  return s;
}

register('kafka', [librdkafka, realKafka], kafkaBrokers).run();

let broker: RunningBroker | undefined;
const requests = new Set<string>();
const embedded = register('embedded', [librdkafka], () => broker!.brokers, () => requests);
embedded.before(async () => {
  broker = await startBroker({
    port: 0, logRequests: true, consumerGroupHeartbeatIntervalMs: 300,
    log: (_level, message, extra) => {
      const m = /^request (\w+) v\d+$/.exec(message);
      if (m && String((extra as { clientId?: unknown }).clientId).startsWith('rd848')) requests.add(m[1]!);
    },
  });
});
embedded.after(async () => { await broker?.stop(); });
embedded.run();
