// kafkajs 2.2.4's admin client against classic and KIP-848 groups side by side on the
// embedded broker: listGroups shows both, describeGroups the classic one, deleteGroups
// refuses a consumer group with members and removes it (with its offsets) once empty, and
// createTopics with the broker's defaults (-1 partitions and replication factor).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { consumerGroups } from '../../../lib/broker/groups/consumer/service.ts';
import { groupCoordinator } from '../../../lib/broker/groups/service.ts';
import type { ConsumerHeartbeat } from '../../../lib/broker/groups/consumer/coordinator.ts';

let broker: RunningBroker;
let kafka: Kafka;
let admin: Admin;

test.before(async () => {
  broker = await startBroker({ port: 0, defaultPartitions: 3 });
  kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
});
test.after(async () => {
  await admin.disconnect();
  await broker.stop();
});

const heartbeat = (memberEpoch: number, subscribed: string[] | null) => consumerGroups(brokerStateOf(broker)).heartbeat({
  groupId: 'js-modern', memberId: 'm1', memberEpoch, instanceId: null, rackId: null, rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
  subscribedTopicNames: subscribed, subscribedTopicRegex: null, serverAssignor: null, topicPartitions: memberEpoch === 0 ? [] : null,
  clientId: 'in-process', clientHost: '',
} satisfies ConsumerHeartbeat);

test('createTopics with no partition count or replication factor takes the broker defaults', async () => {
  assert.ok(await admin.createTopics({ topics: [{ topic: 'js-adm', numPartitions: -1, replicationFactor: -1 }] }));
  assert.is(brokerStateOf(broker).topics.get('js-adm')?.partitions.length, 3);
});

test('listGroups shows a classic and a consumer-protocol group; describeGroups describes the classic one', async () => {
  const consumer = kafka.consumer({ groupId: 'js-classic', maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: ['js-adm'] });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => { joined = true; });
    await consumer.run({ eachMessage: async () => {} });
    while (!joined) await new Promise((r) => setTimeout(r, 50));
    assert.is(heartbeat(0, ['js-adm']).kind, 'ok');
    const { groups } = await admin.listGroups();
    const byId = new Map(groups.map((g) => [g.groupId, g.protocolType]));
    assert.is(byId.get('js-classic'), 'consumer');
    assert.is(byId.get('js-modern'), 'consumer');
    const { groups: [described] } = await admin.describeGroups(['js-classic']);
    assert.is(described!.state, 'Stable');
    assert.is(described!.members.length, 1);
    assert.is(described!.members[0]!.clientHost, '/127.0.0.1', 'the peer address, as Kafka shows it');
  } finally {
    await consumer.disconnect();
  }
});

test('deleteGroups refuses a consumer group with members, then deletes it and its offsets once it is empty', async () => {
  const state = brokerStateOf(broker);
  const m = heartbeat(1, null);
  assert.is(m.kind, 'ok');
  await groupCoordinator(state).storeOffsets('js-modern', [{ topic: 'js-adm', partition: 0, offset: 7, leaderEpoch: -1, metadata: '' }]);
  const refused = await admin.deleteGroups(['js-modern']).catch((e: { groups?: { errorCode: number }[] }) => e.groups);
  assert.is(refused?.[0]?.errorCode, 68, 'NON_EMPTY_GROUP');
  assert.is(heartbeat(-1, null).kind, 'ok');
  const [deleted] = await admin.deleteGroups(['js-modern']);
  assert.is(deleted!.errorCode, 0);
  assert.is(consumerGroups(state).group('js-modern'), undefined);
  assert.is(groupCoordinator(state).fetchOffsets('js-modern', [{ topic: 'js-adm', partition: 0 }]).partitions[0]!.offset, -1);
});

test.run();
