// Static members (group.instance.id) of the Java 4.4 consumer with group.protocol=consumer:
// a member that closes leaves with epoch -2, so its partitions wait for it instead of moving;
// its successor with the same instance id takes them back without a rebalance.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { consumerGroups } from '../../../lib/broker/groups/consumer/service.ts';
import { kafkaTools, needs } from '../../requirements.ts';
import { javaMember, produce, until } from './java-member.ts';

const it = needs(kafkaTools);
const TOPIC = 'kip848-static';
let broker: RunningBroker;

test.before(async () => {
  broker = await startBroker({ port: 0, consumerGroupHeartbeatIntervalMs: 300, consumerGroupSessionTimeoutMs: 60_000 });
  const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 4 }] });
  await admin.disconnect();
});
test.after(() => broker.stop());

it('a static member that restarts gets its partitions back; the other member never takes them', async () => {
  const opts = (instanceId: string) => ({ bootstrap: broker.brokers[0]!, topic: TOPIC, group: 'kip848-static-g', protocol: 'consumer' as const, instanceId });
  const service = consumerGroups(brokerStateOf(broker));
  const epoch = () => { const d = service.describe('kip848-static-g', false); return d.kind === 'group' ? d.groupEpoch : -1; };
  const stayer = await javaMember(opts('i-1'));
  let restarted: Awaited<ReturnType<typeof javaMember>> | undefined;
  try {
    const leaver = await javaMember(opts('i-2'));
    await until('both members holding 2 partitions', () => stayer.lastAssignment().split(',').length === 2 && leaver.lastAssignment().split(',').length === 2);
    const before = { epoch: epoch(), stayer: stayer.lastAssignment() };
    const leaverParts = leaver.lastAssignment();
    assert.is(await leaver.stop(), 0);
    const d = service.describe('kip848-static-g', false);
    assert.ok(d.kind === 'group' && d.members.some((m) => m.memberEpoch === -2), 'the leaver is kept with epoch -2');
    restarted = await javaMember(opts('i-2'));
    await until('the restarted member holding partitions', () => restarted!.lastAssignment().split(',').length === 2);
    assert.is(restarted.lastAssignment(), leaverParts, 'the same partitions as before');
    assert.is(stayer.lastAssignment(), before.stayer, 'the other member kept its own and got none of them');
    assert.is(epoch(), before.epoch, 'no rebalance: the group epoch did not move');
    const values = Array.from({ length: 8 }, (_, i) => `static-${i}`);
    await produce(broker.brokers, TOPIC, values);
    await until('the 8 records', () => stayer.records().length + restarted!.records().length >= 8);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal([...stayer.records(), ...restarted.records()].sort(), values.sort(), 'each read once');
  } finally {
    if (restarted) assert.is(await restarted.stop(), 0);
    assert.is(await stayer.stop(), 0);
  }
});

test.run();
