// Kafka 4.4's own admin tools (the classes behind kafka-topics.sh, kafka-configs.sh,
// kafka-consumer-groups.sh and kafka-cluster.sh, from .kafka/libs) against the embedded
// broker: CreateTopics v7 with the broker's default replication factor, DeleteTopics,
// IncrementalAlterConfigs, DescribeCluster, ListGroups v5 with state and type filters,
// ConsumerGroupDescribe, OffsetDelete and DeleteGroups. Effects are checked in the broker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { brokerStateOf, startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { consumerGroups } from '../../lib/broker/groups/consumer/service.ts';
import { groupCoordinator } from '../../lib/broker/groups/service.ts';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { kafkaTools, needs } from '../requirements.ts';
import { run } from './groups/external-client.ts';

const it = needs(kafkaTools);
let broker: RunningBroker;

test.before(async () => {
  broker = await startBroker({ port: 0, defaultPartitions: 2, logRequests: true, log: (_l, message) => { if (message.startsWith('request ')) used.add(message.slice(8)); } });
});
test.after(() => broker.stop());
const used = new Set<string>();

// C1 only: these tools run for a second or two, where JIT warm-up is wasted.
const JVM = ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', `${defaultLibsDir}/*`];

async function tool(mainClass: string, args: string[], bootstrapFirst = true): Promise<string> {
  const bootstrap = ['--bootstrap-server', broker.brokers[0]!];
  const res = await run(javaCommand(), [...JVM, mainClass, ...(bootstrapFirst ? [...bootstrap, ...args] : [...args, ...bootstrap])], { timeoutMs: 60_000 });
  assert.is(res.code, 0, `${mainClass} ${args.join(' ')} exited ${res.code}: ${res.stderr.slice(-1500)}`);
  return res.stdout;
}
const topics = (...args: string[]) => tool('org.apache.kafka.tools.TopicCommand', args);
const configs = (...args: string[]) => tool('org.apache.kafka.tools.ConfigCommand', args);
const groups = (...args: string[]) => tool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', args);
const state = () => brokerStateOf(broker);

it('kafka-topics creates a topic with the default replication factor, describes it with its id, and deletes it', async () => {
  await topics('--create', '--topic', 'adm-t', '--partitions', '3');
  const t = state().topics.get('adm-t');
  assert.is(t?.partitions.length, 3);
  const described = await topics('--describe', '--topic', 'adm-t');
  assert.match(described, /PartitionCount: 3/);
  // Kafka prints a Uuid in URL-safe base64.
  assert.ok(described.includes(`TopicId: ${Buffer.from(t!.id.replace(/-/g, ''), 'hex').toString('base64url')}`), described);
  assert.ok(used.has('CreateTopics v7'), `CreateTopics v7 used: ${[...used].filter((u) => u.startsWith('Create')).join()}`);
  await topics('--delete', '--topic', 'adm-t');
  assert.is(state().topics.get('adm-t'), undefined);
});

it('kafka-configs --alter adds, appends to and deletes topic configs (IncrementalAlterConfigs)', async () => {
  await topics('--create', '--topic', 'adm-c', '--partitions', '1');
  await configs('--alter', '--entity-type', 'topics', '--entity-name', 'adm-c', '--add-config', 'segment.ms=1000,cleanup.policy=[delete,compact]');
  const t = state().topics.get('adm-c')!;
  assert.is(t.configs.get('segment.ms'), '1000');
  assert.is(t.configs.get('cleanup.policy'), 'delete,compact');
  assert.ok(used.has('IncrementalAlterConfigs v1'));
  await configs('--alter', '--entity-type', 'topics', '--entity-name', 'adm-c', '--delete-config', 'segment.ms');
  assert.is(t.configs.get('segment.ms'), undefined);
  assert.is(t.configs.get('cleanup.policy'), 'delete,compact');
});

it('kafka-configs refuses an invalid value: the topic keeps its config', async () => {
  const res = await run(javaCommand(), [...JVM, 'org.apache.kafka.tools.ConfigCommand', '--bootstrap-server', broker.brokers[0]!,
    '--alter', '--entity-type', 'topics', '--entity-name', 'adm-c', '--add-config', 'max.message.bytes=lots'], { timeoutMs: 60_000 });
  assert.is.not(res.code, 0);
  assert.match(res.stderr + res.stdout, /InvalidConfigurationException|Invalid value lots/);
  assert.is(state().topics.get('adm-c')!.configs.get('max.message.bytes'), undefined);
});

it('kafka-cluster cluster-id reads the cluster id (DescribeCluster)', async () => {
  const out = await tool('org.apache.kafka.tools.ClusterTool', ['cluster-id'], false);
  assert.match(out, /Cluster ID: modelstream-embedded/);
  assert.ok([...used].some((u) => u.startsWith('DescribeCluster v')));
});

it('kafka-consumer-groups lists by state and type, describes a KIP-848 group, deletes offsets and groups', async () => {
  await topics('--create', '--topic', 'adm-g', '--partitions', '2');
  const producer = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: 'adm-g', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });
  await producer.disconnect();
  // A classic group with offsets and no members (Empty), and a consumer group with one member.
  await groupCoordinator(state()).commitOffsets({
    groupId: 'adm-classic', generationId: -1, memberId: '', groupInstanceId: null,
    partitions: [0, 1].map((partition) => ({ topic: 'adm-g', partition, offset: 1, leaderEpoch: -1, metadata: '' })),
  });
  const coordinator = consumerGroups(state());
  const beat = (memberEpoch: number) => coordinator.heartbeat({
    groupId: 'adm-modern', memberId: 'member-1', memberEpoch, instanceId: null, rackId: null, rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
    subscribedTopicNames: memberEpoch === 0 ? ['adm-g'] : null, subscribedTopicRegex: null, serverAssignor: null,
    topicPartitions: memberEpoch === 0 ? [] : null, clientId: 'in-process', clientHost: '',
  });
  const joined = beat(0);
  assert.is(joined.kind, 'ok');
  // Heartbeats as a live member sends them: the tools below may take longer than a session timeout.
  const keepAlive = setInterval(() => beat(joined.kind === 'ok' ? joined.memberEpoch : 1), 1000);
  try {
    const stable = await groups('--list', '--state', 'Stable');
    assert.match(stable, /adm-modern/);
    assert.not.match(stable, /adm-classic/, 'the Empty classic group is filtered out');
    const byType = await groups('--list', '--type', 'consumer');
    assert.match(byType, /adm-modern/);
    assert.not.match(byType, /adm-classic/);
    assert.ok(used.has('ListGroups v5'), 'ListGroups v5 sent');

    const members = await groups('--describe', '--group', 'adm-modern', '--members');
    assert.match(members, /member-1/);
    assert.match(members, /in-process/);
    assert.ok([...used].some((u) => u.startsWith('ConsumerGroupDescribe v')));

    // A classic group: ConsumerGroupDescribe answers GROUP_ID_NOT_FOUND, the tool falls back to DescribeGroups.
    const classic = await groups('--describe', '--group', 'adm-classic');
    assert.match(classic, /adm-classic\s+adm-g\s+0\s+1\s+1\s+0/, classic);

    const refused = await groups('--delete-offsets', '--group', 'adm-modern', '--topic', 'adm-g');
    assert.match(refused, /GroupSubscribedToTopic|subscribed/i, 'a subscribed topic keeps its offsets');
    await groups('--delete-offsets', '--group', 'adm-classic', '--topic', 'adm-g:0');
    const left = groupCoordinator(state()).fetchOffsets('adm-classic', null).partitions.map((p) => p.partition);
    assert.equal(left, [1], 'partition 0 offset deleted, partition 1 kept');

    await groups('--delete', '--group', 'adm-classic');
    assert.equal(groupCoordinator(state()).fetchOffsets('adm-classic', null).partitions, []);
    assert.equal(groupCoordinator(state()).list().map((g) => g.groupId), [], 'the classic group is gone');
  } finally {
    clearInterval(keepAlive);
  }
});

test.run();
