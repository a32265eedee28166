// Group listing and description as Kafka 4.4's kafka-consumer-groups tool (ConsumerGroupCommand,
// from .kafka/libs, every call in one JVM) prints them, on the embedded broker and on real Kafka
// for the same scenario: one topic, a Stable classic group (a kafkajs consumer), an Empty classic
// group (offsets only) and a Stable KIP-848 group (a librdkafka 2.12 member). Each command's
// output, with names, ids and ports replaced, must be the same on both brokers; the embedded
// broker's output is also checked on its own (ListGroups v5 state and type filters,
// ConsumerGroupDescribe, DescribeGroups, OffsetFetch, ListOffsets).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../lib/broker/server.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { kafkaBrokers, kafkaTools, needs, present, realKafka, type Dependency } from '../requirements.ts';
import { startAdminTools, type AdminTools } from './admin-tools.ts';
import { kip848Member, librdkafka, type Member } from './librdkafka/client.ts';

/** The tool needs only Java and the jars: a run requiring Java (or Kafka) fails without them. */
const java: Dependency = { ...kafkaTools, requiredBy: ['MODELSTREAM_REQUIRE_JAVA', ...kafkaTools.requiredBy] };
const GROUPS_TOOL = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';

interface Names { readonly topic: string; readonly stable: string; readonly empty: string; readonly modern: string }
type Role = keyof Names;

interface Command {
  readonly title: string;
  readonly args: (n: Names) => string[];
  /** What the output (normalized) must show on its own, whichever broker printed it. */
  readonly expect: (out: string) => void;
}

const lines = (out: string) => out.split('\n').filter((l) => l.length > 0);
const has = (out: string, line: string) => assert.ok(lines(out).includes(line), `"${line}" in:\n${out}`);
const lacks = (out: string, role: Role) => assert.not.ok(out.includes(`<${role}>`), `<${role}> not in:\n${out}`);

const COMMANDS: readonly Command[] = [
  { title: '--list', args: () => ['--list'], expect: (o) => assert.equal(lines(o), ['<empty>', '<modern>', '<stable>']) },
  { title: '--list --state', args: () => ['--list', '--state'], expect: (o) => { has(o, 'GROUP STATE'); has(o, '<modern> Stable'); has(o, '<empty> Empty'); } },
  { title: '--list --state Stable', args: () => ['--list', '--state', 'Stable'], expect: (o) => { has(o, '<modern> Stable'); has(o, '<stable> Stable'); lacks(o, 'empty'); } },
  { title: '--list --state empty (any case)', args: () => ['--list', '--state', 'empty'], expect: (o) => { has(o, '<empty> Empty'); lacks(o, 'stable'); lacks(o, 'modern'); } },
  { title: '--list --type', args: () => ['--list', '--type'], expect: (o) => { has(o, 'GROUP TYPE'); has(o, '<modern> Consumer'); has(o, '<stable> Classic'); } },
  { title: '--list --type consumer', args: () => ['--list', '--type', 'consumer'], expect: (o) => { has(o, '<modern> Consumer'); lacks(o, 'stable'); lacks(o, 'empty'); } },
  { title: '--list --type classic --state Stable', args: () => ['--list', '--type', 'classic', '--state', 'Stable'], expect: (o) => { has(o, '<stable> Classic Stable'); lacks(o, 'modern'); lacks(o, 'empty'); } },
  ...(['stable', 'empty', 'modern'] as const).flatMap((role): Command[] => [
    { title: `--describe --offsets of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--offsets'], expect: (o) => assert.match(o, new RegExp(`<${role}> <topic> 0 \\d+ 3 \\d+`)) },
    { title: `--describe --members --verbose of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--members', '--verbose'], expect: (o) => assert.ok(role === 'empty' ? o.includes('no active members') : o.includes(`<${role}> <member>`), o) },
    { title: `--describe --state --verbose of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--state', '--verbose'], expect: (o) => assert.match(o, role === 'empty' ? /<empty> \S+ \(\d+\) Empty 0/ : new RegExp(`<${role}> \\S+ \\(\\d+\\) \\S+ Stable 1`)) },
  ]),
];

/** Names to their roles, member ids and ports to placeholders, column padding to one space. */
function normalize(out: string, n: Names): string {
  let s = out;
  for (const role of Object.keys(n) as Role[]) s = s.replaceAll(n[role], `<${role}>`);
  return lines(s)
    .map((l) => l.trim().split(/\s+/).join(' '))
    // kafkajs's member ids are `clientId-uuid`; KIP-848 ones 22 characters of URL-safe base64.
    .map((l) => l.replace(/\bls-classic-[0-9a-f-]{36}\b/g, '<member>').replace(/(?<=^<modern> )[A-Za-z0-9_-]{22}(?= )/, '<member>'))
    .map((l) => l.replace(/127\.0\.0\.1:\d+/g, '<host:port>'))
    // Other tests' groups on a shared Kafka: only headers and lines naming this scenario stay.
    .filter((l) => l.includes('<') || l === l.toUpperCase())
    .join('\n');
}

interface Scenario { readonly names: Names; stop(): Promise<void> }

async function waitForLeaders(admin: ReturnType<Kafka['admin']>, topic: string, partitions: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    if (meta?.topics[0]?.partitions.length === partitions && meta.topics[0].partitions.every((p) => p.leader >= 0)) return;
    assert.ok(Date.now() < deadline, `${topic} has no leaders 15 s after its creation`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Builds the three groups on `brokers`, each with every record read and committed. */
async function buildScenario(brokers: string[]): Promise<Scenario> {
  const names: Names = { topic: uniqueName('ls-t'), stable: uniqueName('ls-stable'), empty: uniqueName('ls-empty'), modern: uniqueName('ls-modern') };
  const kafka = new Kafka({ brokers, clientId: 'ls-admin', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let consumer: Consumer | undefined;
  let member: Member | undefined;
  const stop = async () => {
    await member?.leave();
    await consumer?.disconnect();
    await admin.disconnect();
  };
  try {
    await admin.createTopics({ topics: [{ topic: names.topic, numPartitions: 2 }], waitForLeaders: false });
    await waitForLeaders(admin, names.topic, 2);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: names.topic, messages: ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ value, partition: i < 3 ? 0 : 1 })) });
    await producer.disconnect();
    await admin.setOffsets({ groupId: names.empty, topic: names.topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '2' }] });

    const committed = async (group: string) => {
      const [t] = await admin.fetchOffsets({ groupId: group, topics: [names.topic] });
      return t!.partitions.map((p) => `${p.partition}:${p.offset}`).sort().join(',');
    };
    const allCommitted = async (group: string) => {
      const deadline = Date.now() + 30_000;
      while ((await committed(group)) !== '0:3,1:2') {
        assert.ok(Date.now() < deadline, `${group} committed ${await committed(group)} 30 s on`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    consumer = new Kafka({ brokers, clientId: 'ls-classic', logLevel: logLevel.NOTHING }).consumer({ groupId: names.stable });
    await consumer.connect();
    await consumer.subscribe({ topic: names.topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    member = await kip848Member(brokers, names.modern, 'ls-modern-client', names.topic, { 'auto.commit.interval.ms': '100' });
    await Promise.all([allCommitted(names.stable), allCommitted(names.modern)]);
    return { names, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

type Outputs = Map<string, string>;

async function runCommands(tools: AdminTools, bootstrap: string, names: Names): Promise<Outputs> {
  const outputs: Outputs = new Map();
  for (const c of COMMANDS) {
    const res = await tools.run(GROUPS_TOOL, ['--bootstrap-server', bootstrap, ...c.args(names)]);
    outputs.set(c.title, res.code === 0 ? normalize(res.stdout, names) : `exit ${res.code}: ${res.stderr.slice(-1500)}`);
  }
  return outputs;
}

const s = suite('kafka-consumer-groups: listing and describing groups');
const onEmbedded = needs([java, librdkafka], s);
const compared = needs([java, librdkafka, realKafka], s);

let tools: AdminTools | undefined;
let broker: RunningBroker | undefined;
let embedded: Outputs | undefined;
let kafka: Outputs | undefined;

s.before(async () => {
  if (!present([java, librdkafka])) return;
  tools = startAdminTools();
  broker = await startBroker({ port: 0 });
  const targets: [string[], (o: Outputs) => void][] = [[broker.brokers, (o) => (embedded = o)]];
  if (present(realKafka)) targets.push([kafkaBrokers(), (o) => (kafka = o)]);
  for (const [brokers, keep] of targets) {
    const scenario = await buildScenario(brokers);
    try {
      keep(await runCommands(tools, brokers[0]!, scenario.names));
    } finally {
      await scenario.stop();
    }
  }
});
s.after(async () => {
  if (process.env.LS_DUMP) (await import('node:fs')).writeFileSync(process.env.LS_DUMP, JSON.stringify({ embedded: [...(embedded ?? [])], kafka: [...(kafka ?? [])] }, null, 1));
  await tools?.close();
  await broker?.stop();
});

for (const c of COMMANDS) {
  onEmbedded(`${c.title} prints what a client expects on the embedded broker`, () => c.expect(embedded!.get(c.title)!));
  compared(`${c.title} prints on the embedded broker what it prints on Kafka`, () => {
    c.expect(kafka!.get(c.title)!);
    assert.fixture(embedded!.get(c.title)!, kafka!.get(c.title)!);
  });
}

s.run();
