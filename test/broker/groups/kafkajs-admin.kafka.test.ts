// kafkajs 2.2.4's admin client against classic and KIP-848 groups side by side, on real Kafka
// 4.4 and the embedded broker with the same assertions: createTopics with the broker's defaults
// (-1 partitions and replication factor), listGroups showing a kafkajs (classic) group and a
// librdkafka (consumer protocol) group, describeGroups on the classic one, deleteGroups
// refusing a consumer group with members and removing it, with its offsets, once it is empty.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../lib/broker/server.ts';
import { uniqueName } from '../../kafka/brokers.ts';
import { kafkaBrokers, needs, realKafka, type Dependency } from '../../requirements.ts';
import { kip848Member, librdkafka, owned } from '../librdkafka/client.ts';
import { produce, until } from './java-member.ts';

interface Target { readonly brokers: () => string[]; readonly start?: () => Promise<void>; readonly stop?: () => Promise<void> }

function register(name: string, deps: Dependency[], target: Target): Test {
  const s = suite(name);
  const it = needs(deps, s);
  let kafka: Kafka, admin: Admin;
  s.before(async () => {
    await target.start?.();
    if (target.brokers().length === 0) return;
    kafka = new Kafka({ brokers: target.brokers(), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  s.after(async () => {
    await admin?.disconnect();
    await target.stop?.();
  });
  const brokerConfig = async (config: string) => {
    const nodeId = (await admin.describeCluster()).brokers[0]!.nodeId;
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: String(nodeId), configNames: [config] }] });
    return Number(resources[0]!.configEntries.find((e) => e.configName === config)!.configValue);
  };

  it('createTopics with no partition count or replication factor takes the broker defaults', async () => {
    const topic = uniqueName('js-adm');
    assert.ok(await admin.createTopics({ topics: [{ topic, numPartitions: -1, replicationFactor: -1 }], waitForLeaders: true }));
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.is(meta.topics[0]!.partitions.length, await brokerConfig('num.partitions'), 'num.partitions partitions');
    assert.is(meta.topics[0]!.partitions[0]!.replicas.length, await brokerConfig('default.replication.factor'), 'default.replication.factor replicas');
  });

  it('listGroups shows a classic and a consumer-protocol group; describeGroups describes the classic one', async () => {
    const topic = uniqueName('js-adm-l'), classic = uniqueName('js-classic'), modern = uniqueName('js-modern');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const consumer = kafka.consumer({ groupId: classic, maxWaitTimeInMs: 100 });
    await consumer.connect();
    const member = await kip848Member(target.brokers(), modern, 'js-adm-member', topic);
    try {
      await consumer.subscribe({ topics: [topic] });
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => { joined = true; });
      await consumer.run({ eachMessage: async () => {} });
      await until('the classic member joined', () => joined, 30_000);
      await until('the consumer-protocol member owning both partitions', () => owned(member.consumer, topic).length === 2, 30_000);
      const { groups } = await admin.listGroups();
      const byId = new Map(groups.map((g) => [g.groupId, g.protocolType]));
      assert.is(byId.get(classic), 'consumer');
      assert.is(byId.get(modern), 'consumer');
      const { groups: [described] } = await admin.describeGroups([classic]);
      assert.is(described!.state, 'Stable');
      assert.is(described!.members.length, 1);
      assert.is(described!.members[0]!.clientHost, '/127.0.0.1', 'the peer address, as Kafka shows it');
    } finally {
      await consumer.disconnect();
      await member.leave();
    }
  });

  it('deleteGroups refuses a consumer group with members, then deletes it and its offsets once it is empty', async () => {
    const topic = uniqueName('js-adm-d'), group = uniqueName('js-modern-d');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(target.brokers(), topic, ['a', 'b', 'c'], 1);
    const member = await kip848Member(target.brokers(), group, 'js-adm-member', topic);
    try {
      await until('the 3 records', () => member.read.length >= 3, 30_000);
      const refused = await admin.deleteGroups([group]).catch((e: { groups?: { errorCode: number }[] }) => e.groups);
      assert.is(refused?.[0]?.errorCode, 68, 'NON_EMPTY_GROUP');
    } finally {
      await member.leave(); // commits what it read, then leaves
    }
    const offset = async () => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions[0]!.offset;
    // librdkafka's commit on revocation is asynchronous: it may land just after the leave.
    const deadline = Date.now() + 10_000;
    while ((await offset()) !== '3' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.is(await offset(), '3', 'the member committed on leaving');
    const [deleted] = await admin.deleteGroups([group]);
    assert.is(deleted!.errorCode, 0);
    assert.not.ok((await admin.listGroups()).groups.some((g) => g.groupId === group), 'the group is gone');
    assert.is(await offset(), '-1', 'its offsets are gone');
  });
  return s;
}

const deps = [librdkafka];
register('kafka', [...deps, realKafka], { brokers: kafkaBrokers }).run();

let broker: RunningBroker | undefined;
register('embedded', deps, {
  brokers: () => (broker ? broker.brokers : []),
  async start() { broker = await startBroker({ port: 0, defaultPartitions: 3, consumerGroupHeartbeatIntervalMs: 300 }); },
  async stop() { await broker?.stop(); },
}).run();
