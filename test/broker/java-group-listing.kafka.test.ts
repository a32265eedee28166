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

/** Each group's lines under `--describe --offsets`, `--members --verbose` and `--state --verbose`. */
const DESCRIBED: Record<Exclude<Role, 'topic'>, { offsets: string[]; members: string[]; state: string }> = {
  stable: {
    offsets: ['<stable> <topic> 0 3 3 0 <member> /127.0.0.1 ls-classic', '<stable> <topic> 1 2 2 0 <member> /127.0.0.1 ls-classic'],
    members: ['<stable> <member> /127.0.0.1 ls-classic 2 - <topic>:0,1 - -'],
    state: '<stable> <host:port> (<id>) RoundRobinAssigner Stable - - 1',
  },
  empty: {
    offsets: ['<empty> <topic> 0 1 3 2 - - -', '<empty> <topic> 1 2 2 0 - - -'],
    members: [],
    state: '<empty> <host:port> (<id>) - Empty - - 0',
  },
  // Epoch 2: Kafka 4.x starts a consumer group at epoch 1 and the first member bumps it.
  modern: {
    offsets: ['<modern> <topic> 0 3 3 0 <member> /127.0.0.1 ls-modern-client', '<modern> <topic> 1 2 2 0 <member> /127.0.0.1 ls-modern-client'],
    members: ['<modern> <member> /127.0.0.1 ls-modern-client 2 2 <topic>:0,1 2 <topic>:0,1'],
    state: '<modern> <host:port> (<id>) uniform Stable 2 2 1',
  },
};
const OFFSETS_HEADER = 'GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID';
const MEMBERS_HEADER = 'GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT';
const STATE_HEADER = 'GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE GROUP-EPOCH TARGET-ASSIGNMENT-EPOCH #MEMBERS';

const listing = (title: string, args: string[], expected: string[]): Command =>
  ({ title, args: () => args, expect: (o) => assert.equal(lines(o), expected) });

const COMMANDS: readonly Command[] = [
  listing('--list', ['--list'], ['<empty>', '<modern>', '<stable>']),
  listing('--list --state', ['--list', '--state'], ['GROUP STATE', '<empty> Empty', '<modern> Stable', '<stable> Stable']),
  listing('--list --state Stable', ['--list', '--state', 'Stable'], ['GROUP STATE', '<modern> Stable', '<stable> Stable']),
  listing('--list --state empty (the tool takes any case)', ['--list', '--state', 'empty'], ['GROUP STATE', '<empty> Empty']),
  listing('--list --type', ['--list', '--type'], ['GROUP TYPE', '<empty> Classic', '<modern> Consumer', '<stable> Classic']),
  listing('--list --type consumer', ['--list', '--type', 'consumer'], ['GROUP TYPE', '<modern> Consumer']),
  listing('--list --type classic --state Stable', ['--list', '--type', 'classic', '--state', 'Stable'], ['GROUP TYPE STATE', '<stable> Classic Stable']),
  ...(['stable', 'empty', 'modern'] as const).flatMap((role): Command[] => [
    { title: `--describe --offsets of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--offsets'], expect: (o) => assert.equal(lines(o), [OFFSETS_HEADER, ...DESCRIBED[role].offsets]) },
    { title: `--describe --members --verbose of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--members', '--verbose'], expect: (o) => assert.equal(lines(o), [MEMBERS_HEADER, ...DESCRIBED[role].members]) },
    { title: `--describe --state --verbose of the ${role} group`, args: (n) => ['--describe', '--group', n[role], '--state', '--verbose'], expect: (o) => assert.equal(lines(o), [STATE_HEADER, DESCRIBED[role].state]) },
  ]),
];

/**
 * Names to their roles, member ids, ports and node ids to placeholders, column padding to one
 * space; rows sorted under their header (ListGroups answers in no particular order).
 */
function normalize(out: string, n: Names): string {
  let s = out;
  for (const role of Object.keys(n) as Role[]) s = s.replaceAll(n[role], `<${role}>`);
  const rows = lines(s)
    .map((l) => l.trim().split(/\s+/).join(' '))
    // Other tests' groups on a shared Kafka: only headers and lines naming this scenario stay.
    .filter((l) => l.includes('<') || l === l.toUpperCase())
    // kafkajs's member ids are `clientId-uuid`; librdkafka's KIP-848 ones 22 characters of base64.
    .map((l) => (l.startsWith('<') ? l.split(' ').map((t) => (/^ls-classic-[0-9a-f-]{36}$|^[A-Za-z0-9+/_-]{22}$/.test(t) ? '<member>' : t)).join(' ') : l))
    .map((l) => l.replace(/127\.0\.0\.1:\d+ \(\d+\)/g, '<host:port> (<id>)'));
  const header = rows.filter((l) => !l.startsWith('<'));
  return [...header, ...rows.filter((l) => l.startsWith('<')).sort()].join('\n');
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
    // Idempotent: a plain producer's retried request could write a partition twice and shift every offset below.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: names.topic, messages: ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ value, partition: i < 3 ? 0 : 1 })) });
    await producer.disconnect();
    await admin.setOffsets({ groupId: names.empty, topic: names.topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '2' }] });

    const committed = async (group: string) => {
      const [t] = await admin.fetchOffsets({ groupId: group, topics: [names.topic] });
      return t!.partitions.map((p) => `${p.partition}:${p.offset}`).sort().join(',');
    };
    const allCommitted = async (group: string) => {
      // A loaded machine (CI runs two test files beside the broker) can take tens of seconds here.
      const deadline = Date.now() + 60_000;
      while ((await committed(group)) !== '0:3,1:2') {
        if (Date.now() >= deadline) {
          const ends = (await admin.fetchTopicOffsets(names.topic)).map((p) => `${p.partition}:${p.high}`).sort().join(',');
          assert.unreachable(`${group} committed ${await committed(group)} 60 s on; the topic ends at ${ends}`);
        }
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
/** uvu reports a failed hook only as failed tests: each test rethrows this, so its cause is shown. */
let setupError: unknown;

s.before(async () => {
  if (!present([java, librdkafka])) return;
  try {
    await buildBoth();
  } catch (err) {
    setupError = err;
  }
});

async function buildBoth(): Promise<void> {
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
}
s.after(async () => {
  await tools?.close();
  await broker?.stop();
});

for (const c of COMMANDS) {
  onEmbedded(`${c.title} prints what a client expects on the embedded broker`, () => {
    if (setupError) throw setupError;
    c.expect(embedded!.get(c.title)!);
  });
  compared(`${c.title} prints on the embedded broker what it prints on Kafka`, () => {
    if (setupError) throw setupError;
    c.expect(kafka!.get(c.title)!);
    assert.fixture(embedded!.get(c.title)!, kafka!.get(c.title)!);
  });
}

s.run();
