// Kafka 4.4's own admin tools (the classes behind kafka-topics.sh, kafka-configs.sh,
// kafka-consumer-groups.sh and kafka-cluster.sh, from .kafka/libs, run in one JVM per suite) against real Kafka 4.4 and
// the embedded broker, with the same assertions: CreateTopics v7 with the broker's default
// replication factor, DeleteTopics, IncrementalAlterConfigs, DescribeCluster, ListGroups v5
// with state and type filters, ConsumerGroupDescribe, OffsetDelete and DeleteGroups. Effects
// are read back as a client sees them (kafkajs, the tools' own output), never from a broker's
// insides; on the embedded broker the request log also shows which versions the tools sent.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { kafkaBrokers, kafkaTools, needs, realKafka, type Dependency } from '../requirements.ts';
import { startAdminTools, type AdminTools } from './admin-tools.ts';
import { until } from './groups/java-member.ts';
import { kip848Member, librdkafka, owned } from './librdkafka/client.ts';

interface Target {
  readonly brokers: () => string[];
  /** The API versions the tools sent, when the broker logs them (the embedded one). */
  readonly used?: Set<string>;
  /** Starts / stops the broker when the suite owns it. */
  readonly start?: () => Promise<void>;
  readonly stop?: () => Promise<void>;
}

function register(name: string, deps: Dependency[], target: Target): Test {
  const s = suite(name);
  const it = needs(deps, s);
  const withMember = needs([...deps, librdkafka], s);
  const bootstrap = () => target.brokers()[0]!;
  const sent = (request: string) => { if (target.used) assert.ok(target.used.has(request), `${request} sent: ${[...target.used].sort().join(', ')}`); };

  let tools: AdminTools | undefined;
  const exec = (mainClass: string, args: string[], bootstrapFirst = true) => {
    const b = ['--bootstrap-server', bootstrap()];
    tools ??= startAdminTools();
    return tools.run(mainClass, bootstrapFirst ? [...b, ...args] : [...args, ...b]);
  };
  async function tool(mainClass: string, args: string[], bootstrapFirst = true): Promise<string> {
    const res = await exec(mainClass, args, bootstrapFirst);
    assert.is(res.code, 0, `${mainClass} ${args.join(' ')} exited ${res.code}: ${res.stderr.slice(-1500)}`);
    return res.stdout;
  }
  const topics = (...args: string[]) => tool('org.apache.kafka.tools.TopicCommand', args);
  const configs = (...args: string[]) => tool('org.apache.kafka.tools.ConfigCommand', args);
  const groups = (...args: string[]) => tool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', args);

  let admin: Admin;
  s.before(async () => {
    await target.start?.();
    if (target.brokers().length === 0) return;
    admin = new Kafka({ brokers: target.brokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  s.after(async () => {
    await tools?.close();
    await admin?.disconnect();
    await target.stop?.();
  });
  // kafkajs's waitForLeaders refreshes metadata for every topic it knows, and fails on real
  // Kafka while one of them is being deleted: wait on this topic's metadata instead.
  const createTopic = async (topic: string, numPartitions: number) => {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: false });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      if (meta?.topics[0]?.partitions.length === numPartitions && meta.topics[0].partitions.every((p) => p.leader >= 0)) return;
      assert.ok(Date.now() < deadline, `${topic} has no leaders 15 s after its creation`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const topicConfig = async (topic: string, config: string) => {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: [config] }] });
    const e = resources[0]!.configEntries.find((c) => c.configName === config)!;
    return { value: e.configValue, source: (e as { configSource?: number }).configSource };
  };

  it('kafka-topics creates a topic with the default replication factor, describes it with its id, and deletes it', async () => {
    const t = uniqueName('adm-t');
    await topics('--create', '--topic', t, '--partitions', '3');
    const meta = await admin.fetchTopicMetadata({ topics: [t] });
    assert.is(meta.topics[0]!.partitions.length, 3);
    const described = await topics('--describe', '--topic', t);
    assert.match(described, /PartitionCount: 3\s+ReplicationFactor: 1/);
    assert.match(described, /TopicId: [A-Za-z0-9_-]{22}\s/, 'a topic id, in Kafka\'s URL-safe base64');
    sent('CreateTopics v7');
    await topics('--delete', '--topic', t);
    const deadline = Date.now() + 15_000;
    while ((await admin.listTopics()).includes(t)) {
      assert.ok(Date.now() < deadline, `${t} still listed 15 s after its deletion`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('kafka-configs --alter adds, appends to and deletes topic configs (IncrementalAlterConfigs)', async () => {
    const t = uniqueName('adm-c');
    await createTopic(t, 1);
    await configs('--alter', '--entity-type', 'topics', '--entity-name', t, '--add-config', 'segment.ms=1000,cleanup.policy=[delete,compact]');
    assert.equal(await topicConfig(t, 'segment.ms'), { value: '1000', source: 1 });
    assert.equal(await topicConfig(t, 'cleanup.policy'), { value: 'delete,compact', source: 1 });
    sent('IncrementalAlterConfigs v1');
    await configs('--alter', '--entity-type', 'topics', '--entity-name', t, '--delete-config', 'segment.ms');
    assert.equal(await topicConfig(t, 'segment.ms'), { value: '604800000', source: 5 }, 'back to the default (DEFAULT_CONFIG)');
    assert.equal(await topicConfig(t, 'cleanup.policy'), { value: 'delete,compact', source: 1 });

    const refused = await exec('org.apache.kafka.tools.ConfigCommand', ['--alter', '--entity-type', 'topics', '--entity-name', t, '--add-config', 'max.message.bytes=lots']);
    assert.is.not(refused.code, 0, 'an invalid value is refused');
    assert.match(refused.stderr + refused.stdout, /InvalidConfigurationException|Invalid value lots/);
    assert.is((await topicConfig(t, 'max.message.bytes')).source, 5, 'max.message.bytes kept at its default');
  });

  it('kafka-cluster cluster-id prints the cluster id the broker gives every client (DescribeCluster)', async () => {
    const out = await tool('org.apache.kafka.tools.ClusterTool', ['cluster-id'], false);
    const { clusterId } = await admin.describeCluster();
    assert.ok(out.includes(`Cluster ID: ${clusterId}`), out);
    if (target.used) assert.ok([...target.used].some((u) => u.startsWith('DescribeCluster v')));
  });

  withMember('kafka-consumer-groups lists by state and type, describes a KIP-848 group, deletes offsets and groups', async () => {
    const t = uniqueName('adm-g'), classic = uniqueName('adm-classic'), modern = uniqueName('adm-modern');
    await createTopic(t, 2);
    const producer = new Kafka({ brokers: target.brokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: t, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });
    await producer.disconnect();
    // A classic group with offsets and no members (Empty), and a consumer group with one member.
    await admin.setOffsets({ groupId: classic, topic: t, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '1' }] });
    const member = await kip848Member(target.brokers(), modern, 'adm-member', t);
    try {
      await until('the member owning both partitions', () => owned(member.consumer, t).length === 2, 30_000);
      const stable = await groups('--list', '--state', 'Stable');
      assert.ok(stable.includes(modern), stable);
      assert.not.ok(stable.includes(classic), 'the Empty classic group is filtered out');
      const byType = await groups('--list', '--type', 'consumer');
      assert.ok(byType.includes(modern), byType);
      assert.not.ok(byType.includes(classic));
      sent('ListGroups v5');

      const members = await groups('--describe', '--group', modern, '--members');
      assert.match(members, /adm-member/, members);
      if (target.used) assert.ok([...target.used].some((u) => u.startsWith('ConsumerGroupDescribe v')));

      // A classic group: ConsumerGroupDescribe answers GROUP_ID_NOT_FOUND, the tool falls back to DescribeGroups.
      const described = await groups('--describe', '--group', classic);
      assert.match(described, new RegExp(`${classic}\\s+${t}\\s+0\\s+1\\s+1\\s+0`), described);

      const refused = await groups('--delete-offsets', '--group', modern, '--topic', t);
      assert.match(refused, /GroupSubscribedToTopic|subscribed/i, 'a subscribed topic keeps its offsets');
      await groups('--delete-offsets', '--group', classic, '--topic', `${t}:0`);
      const [left] = await admin.fetchOffsets({ groupId: classic, topics: [t] });
      assert.equal(left!.partitions.map((p) => [p.partition, p.offset]).sort(), [[0, '-1'], [1, '1']], 'partition 0 offset deleted, partition 1 kept');

      await groups('--delete', '--group', classic);
      assert.not.ok((await admin.listGroups()).groups.some((g) => g.groupId === classic), 'the classic group is gone');
    } finally {
      await member.leave();
    }
  });
  return s;
}

register('kafka', [kafkaTools, realKafka], { brokers: kafkaBrokers }).run();

let broker: RunningBroker | undefined;
const used = new Set<string>();
register('embedded', [kafkaTools], {
  brokers: () => (broker ? broker.brokers : []),
  used,
  async start() {
    broker = await startBroker({ port: 0, logRequests: true, log: (_l, message) => { if (message.startsWith('request ')) used.add(message.slice(8)); } });
  },
  async stop() { await broker?.stop(); },
}).run();
