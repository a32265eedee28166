// A Java 4.4 consumer (group.protocol=consumer) killed with SIGKILL: it never leaves, so the
// embedded broker removes it after the session timeout (3 s here) and the surviving member
// is given its partitions; nothing produced afterwards is lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { consumerGroups } from '../../../lib/broker/groups/consumer/service.ts';
import { kafkaTools, needs } from '../../requirements.ts';
import { javaMember, produce, until } from './java-member.ts';

const it = needs(kafkaTools);
const TOPIC = 'kip848-kill';
let broker: RunningBroker;

test.before(async () => {
  broker = await startBroker({ port: 0, consumerGroupHeartbeatIntervalMs: 300, consumerGroupSessionTimeoutMs: 3000 });
  const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 4 }] });
  await admin.disconnect();
});
test.after(() => broker.stop());

it('after kill -9 of one member, the other owns every partition once the session times out and reads all new records', async () => {
  const opts = { bootstrap: broker.brokers[0]!, topic: TOPIC, group: 'kip848-kill-g', protocol: 'consumer' as const };
  const survivor = await javaMember(opts), victim = await javaMember(opts);
  const service = consumerGroups(brokerStateOf(broker));
  try {
    await until('both members holding 2 partitions', () => survivor.lastAssignment().split(',').length === 2 && victim.lastAssignment().split(',').length === 2);
    victim.child.kill('SIGKILL');
    await victim.closed;
    const killedAt = Date.now();
    await until('the survivor owning all 4 partitions', () => survivor.lastAssignment() === 'A [0, 1, 2, 3]');
    assert.ok(Date.now() - killedAt >= 2000, 'not before the session timeout');
    const d = service.describe('kip848-kill-g', false);
    assert.ok(d.kind === 'group' && d.members.length === 1, 'the killed member was removed');
    const values = Array.from({ length: 16 }, (_, i) => `after-kill-${i}`);
    await produce(broker.brokers, TOPIC, values);
    await until('the 16 records', () => values.every((v) => survivor.records().includes(v)));
    assert.is(survivor.records().filter((v) => v.startsWith('after-kill-')).length, 16, 'each once');
  } finally {
    victim.child.kill('SIGKILL');
    assert.is(await survivor.stop(), 0);
  }
});

test.run();
